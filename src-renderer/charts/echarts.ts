// ECharts with only the parts the studio draws: scatter, lines, line and custom series on a cartesian grid, inside zoom, legend, tooltip, canvas renderer.
import * as echarts from 'echarts/core';
import { CustomChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, GridComponent, DataZoomInsideComponent, CanvasRenderer]);
// The Sample section: density images (custom), drift arrows and paths (lines), the metric-against-NFE chart (line).
echarts.use([CustomChart, LinesChart, LineChart, LegendComponent, TooltipComponent]);

export { echarts };
export type { EChartsType } from 'echarts/core';
