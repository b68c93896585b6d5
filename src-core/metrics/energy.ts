// Energy distance 2 E||X - Y|| - E||X - X'|| - E||Y - Y'|| between two samples.
import type { Batch } from '../batch';
import { check } from '../errors';
import { checkPointPair } from '../coupling/cost';

/** Sum of ||a_i - b_j|| over all i, j (i < j only, doubled, when `same`). */
function distanceSum(a: Float32Array | Float64Array, na: number, b: Float32Array | Float64Array, nb: number, d: number, same: boolean): number {
  let total = 0;
  for (let i = 0; i < na; i++) {
    for (let j = same ? i + 1 : 0; j < nb; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = a[i * d + k] - b[j * d + k];
        s += diff * diff;
      }
      total += Math.sqrt(s);
    }
  }
  return same ? 2 * total : total;
}

/**
 * Energy distance between the rows of x and y: unbiased (within-sample means over i != j)
 * by default, or the V-statistic (dividing by n^2, always >= 0) with biased.
 */
export function energyDistance(x: Batch, y: Batch, options: { biased?: boolean } = {}): number {
  const [n, m, d] = checkPointPair(x, y);
  const biased = options.biased ?? false;
  check(biased || (n >= 2 && m >= 2), `the unbiased energy distance needs at least 2 rows per sample, got ${n} and ${m}`);
  const dxy = distanceSum(x.data, n, y.data, m, d, false) / (n * m);
  const dxx = distanceSum(x.data, n, x.data, n, d, true) / (biased ? n * n : n * (n - 1));
  const dyy = distanceSum(y.data, m, y.data, m, d, true) / (biased ? m * m : m * (m - 1));
  return 2 * dxy - dxx - dyy;
}
