// ECharts with only the parts the studio draws: scatter on a cartesian grid, inside zoom, canvas renderer.
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, GridComponent, DataZoomInsideComponent, CanvasRenderer]);

export { echarts };
export type { EChartsType } from 'echarts/core';
