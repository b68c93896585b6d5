// Loss history as growable Float64Array columns (step, loss, smoothed loss, learning rate) for the live chart.

/** The columns the loss chart draws. */
const METRIC_COLUMNS = ['step', 'loss', 'smoothedLoss', 'lr'] as const;
type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** What readers of a buffer may use (appends happen only in the store's actions). */
export type MetricReader = Pick<MetricBuffer, 'length' | 'lastStep' | 'view' | 'pairs'>;

/** Columns of equal length that grow by doubling; read them through view(). */
export class MetricBuffer {
  private cols: Record<MetricColumn, Float64Array>;
  private n = 0;

  constructor(capacity = 1024) {
    this.cols = Object.fromEntries(METRIC_COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<MetricColumn, Float64Array>;
  }

  /** Rows held. */
  get length(): number {
    return this.n;
  }

  /** The last step held, or -1. */
  get lastStep(): number {
    return this.n > 0 ? this.cols.step[this.n - 1] : -1;
  }

  /** Appends one row; a step not after the last one is ignored (a replayed event). */
  push(step: number, loss: number, smoothedLoss: number, lr: number): boolean {
    if (step <= this.lastStep) return false;
    if (this.n === this.cols.step.length) this.grow();
    const i = this.n++;
    this.cols.step[i] = step;
    this.cols.loss[i] = loss;
    this.cols.smoothedLoss[i] = smoothedLoss;
    this.cols.lr[i] = lr;
    return true;
  }

  /** Replaces everything with the given columns (a run's history from training.metrics). */
  replace(columns: Record<MetricColumn, Float64Array>): void {
    const n = columns.step.length;
    this.n = 0;
    if (this.cols.step.length < n) this.cols = Object.fromEntries(METRIC_COLUMNS.map((c) => [c, new Float64Array(Math.max(1024, n * 2))])) as Record<MetricColumn, Float64Array>;
    for (const c of METRIC_COLUMNS) this.cols[c].set(columns[c].subarray(0, n));
    this.n = n;
  }

  /** Empties the buffer (capacity kept). */
  clear(): void {
    this.n = 0;
  }

  /** A view of one column's filled part (valid until the next push). */
  view(column: MetricColumn): Float64Array {
    return this.cols[column].subarray(0, this.n);
  }

  /** Interleaved [step, value] pairs of one column for a chart, as one Float64Array. */
  pairs(column: MetricColumn): Float64Array {
    const out = new Float64Array(this.n * 2);
    const s = this.cols.step;
    const v = this.cols[column];
    for (let i = 0; i < this.n; i++) {
      out[2 * i] = s[i];
      out[2 * i + 1] = v[i];
    }
    return out;
  }

  private grow(): void {
    for (const c of METRIC_COLUMNS) {
      const next = new Float64Array(this.cols[c].length * 2);
      next.set(this.cols[c]);
      this.cols[c] = next;
    }
  }
}
