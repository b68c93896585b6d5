// A chart's life cycle in a component: a raw ECharts instance on an element, resized with it, disposed with it.
import { markRaw, onBeforeUnmount, onMounted, type Ref } from 'vue';
import { echarts, type EChartsType } from './echarts';

/** What a chart component gets: the instance (null before mount), a theme colour reader and a frame-throttled redraw. */
interface EChartHandle {
  chart(): EChartsType | null;
  cssVar(name: string): string;
  /** Calls render on the next animation frame; several requests within a frame draw once. */
  requestRender(): void;
}

/** Creates the chart on mount (optionally joined to a group whose tooltips move together) and redraws on resize. */
export function useEChart(container: Ref<HTMLElement | null>, render: (chart: EChartsType) => void, group?: string): EChartHandle {
  let chart: EChartsType | null = null;
  let observer: ResizeObserver | null = null;
  let frame = 0;

  const cssVar = (name: string) => (container.value ? getComputedStyle(container.value).getPropertyValue(name).trim() : '');

  function requestRender(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (chart) render(chart);
    });
  }

  onMounted(() => {
    const el = container.value;
    if (!el) return;
    chart = markRaw(echarts.init(el, null, { renderer: 'canvas' }));
    if (group) {
      chart.group = group;
      echarts.connect(group);
    }
    render(chart);
    observer = new ResizeObserver(() => {
      chart?.resize();
      requestRender();
    });
    observer.observe(el);
  });

  onBeforeUnmount(() => {
    if (frame) cancelAnimationFrame(frame);
    observer?.disconnect();
    chart?.dispose();
    chart = null;
  });

  return { chart: () => chart, cssVar, requestRender };
}

/** Axis styling shared by the studio's charts, in the theme's colours. */
export function themedAxis(cssVar: (name: string) => string) {
  return {
    axisLine: { onZero: false, lineStyle: { color: cssVar('--axis') } },
    axisTick: { lineStyle: { color: cssVar('--axis') } },
    axisLabel: { color: cssVar('--muted'), hideOverlap: true },
    nameTextStyle: { color: cssVar('--muted') },
    splitLine: { lineStyle: { color: cssVar('--grid') } },
  };
}
