// Per-dimension summary statistics of a batch, for the Data view.
import { rowSize, rows, type Batch } from '../batch';

/** Mean, standard deviation (population), minimum and maximum of each dimension. */
interface BatchSummary {
  readonly count: number;
  readonly mean: number[];
  readonly std: number[];
  readonly min: number[];
  readonly max: number[];
}

/** Summarises a batch [n, d] per dimension (std with divisor n; all NaN-free for n >= 1). */
export function summarize(b: Batch): BatchSummary {
  const n = rows(b);
  const d = rowSize(b);
  const mean = new Array<number>(d).fill(0);
  const m2 = new Array<number>(d).fill(0);
  const min = new Array<number>(d).fill(Infinity);
  const max = new Array<number>(d).fill(-Infinity);
  // Welford's update keeps the variance accurate when the mean is large.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const x = b.data[i * d + j];
      const delta = x - mean[j];
      mean[j] += delta / (i + 1);
      m2[j] += delta * (x - mean[j]);
      if (x < min[j]) min[j] = x;
      if (x > max[j]) max[j] = x;
    }
  }
  const std = m2.map((s) => (n > 0 ? Math.sqrt(s / n) : 0));
  return { count: n, mean, std, min, max };
}
