// Per-feature or per-channel statistics of a data set, gathered block by block in two passes (sums, then squared deviations).

/** Per-feature (vectors) or per-channel (images) statistics, as meta.json records them. */
export interface DatasetStats {
  readonly axis: 'feature' | 'channel';
  readonly mean: number[];
  readonly std: number[];
  readonly min: number[];
  readonly max: number[];
}

/**
 * Statistics of a set seen in blocks: feed every block in order to addFirst, call endFirst, feed them again to
 * addSecond, then result(). Two passes keep the variance accurate when the mean is large.
 */
export class StatsAccumulator {
  private readonly groups: number;
  private readonly inner: number;
  private readonly images: boolean;
  private readonly sum: Float64Array;
  private readonly sq: Float64Array;
  private readonly min: number[];
  private readonly max: number[];
  private mean: number[] = [];
  private offset = 0;
  private readonly perGroup: number;

  constructor(shape: readonly number[]) {
    this.images = shape.length === 4;
    this.groups = this.images ? shape[1] : shape.length > 1 ? shape[1] : 1;
    this.inner = this.images ? shape[2] * shape[3] : 1;
    this.sum = new Float64Array(this.groups);
    this.sq = new Float64Array(this.groups);
    this.min = new Array<number>(this.groups).fill(Infinity);
    this.max = new Array<number>(this.groups).fill(-Infinity);
    this.perGroup = shape.reduce((a, b) => a * b, 1) / this.groups;
  }

  /** First pass: sums, minima and maxima. */
  addFirst(block: Float32Array): void {
    const { inner, groups, sum, min, max } = this;
    for (let k = 0; k < block.length; k++) {
      const g = Math.floor((this.offset + k) / inner) % groups;
      const x = block[k];
      sum[g] += x;
      if (x < min[g]) min[g] = x;
      if (x > max[g]) max[g] = x;
    }
    this.offset += block.length;
  }

  /** Ends the first pass. */
  endFirst(): void {
    this.mean = Array.from(this.sum, (s) => s / this.perGroup);
    this.offset = 0;
  }

  /** Second pass: squared deviations from the mean. */
  addSecond(block: Float32Array): void {
    const { inner, groups, sq, mean } = this;
    for (let k = 0; k < block.length; k++) {
      const g = Math.floor((this.offset + k) / inner) % groups;
      sq[g] += (block[k] - mean[g]) ** 2;
    }
    this.offset += block.length;
  }

  /** The statistics, after both passes. */
  result(): DatasetStats {
    const std = Array.from(this.sq, (s) => Math.sqrt(s / this.perGroup));
    return { axis: this.images ? 'channel' : 'feature', mean: this.mean, std, min: [...this.min], max: [...this.max] };
  }
}

/** Mean, population std, min and max of each feature of [n, d] data, or of each channel of [n, C, H, W] images. */
export function datasetStats(data: Float32Array, shape: readonly number[]): DatasetStats {
  const acc = new StatsAccumulator(shape);
  acc.addFirst(data);
  acc.endFirst();
  acc.addSecond(data);
  return acc.result();
}
