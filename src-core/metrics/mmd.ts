// Squared maximum mean discrepancy with a sum of RBF kernels at several bandwidths.
import type { Batch } from '../batch';
import { check, checkAllFinite } from '../errors';
import { checkPointPair } from '../coupling/cost';

/** Kernel settings shared by the MMD estimators. */
export interface MmdOptions {
  /** Explicit RBF bandwidths h (kernel exp(-r^2 / (2 h^2))); overrides the median heuristic. */
  bandwidths?: readonly number[];
  /** Multiples of the median pairwise distance of the pooled sample used when bandwidths are absent. */
  bandwidthMultiples?: readonly number[];
  /** The biased V-statistic (diagonal terms kept, always >= 0) instead of the unbiased U-statistic. */
  biased?: boolean;
}

/** Default multiples of the median distance: a factor 16 range around the median heuristic. */
const DEFAULT_BANDWIDTH_MULTIPLES: readonly number[] = [0.25, 0.5, 1, 2, 4];

const MEDIAN_SUBSET = 1000;

/** Median pairwise Euclidean distance of the pooled rows (an evenly strided subset of at most 1,000 rows). */
export function medianPairwiseDistance(x: Batch, y: Batch): number {
  const [n, m, d] = checkPointPair(x, y);
  const total = n + m;
  const take = Math.min(total, MEDIAN_SUBSET);
  check(take >= 2, 'the median distance needs at least two points');
  const pts = new Float64Array(take * d);
  for (let k = 0; k < take; k++) {
    const idx = Math.floor((k * total) / take);
    const src = idx < n ? x.data.subarray(idx * d, idx * d + d) : y.data.subarray((idx - n) * d, (idx - n) * d + d);
    pts.set(src, k * d);
  }
  const dist = new Float64Array((take * (take - 1)) / 2);
  let p = 0;
  for (let i = 0; i < take; i++) {
    for (let j = i + 1; j < take; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = pts[i * d + k] - pts[j * d + k];
        s += diff * diff;
      }
      dist[p++] = Math.sqrt(s);
    }
  }
  dist.sort();
  const h = dist.length >> 1;
  return dist.length % 2 ? dist[h] : 0.5 * (dist[h - 1] + dist[h]);
}

/** The bandwidths an MMD call will use: the explicit ones, or multiples of the median distance (1 if all points coincide). */
export function resolveBandwidths(x: Batch, y: Batch, options: MmdOptions = {}): Float64Array {
  if (options.bandwidths) {
    const bw = Float64Array.from(options.bandwidths);
    check(bw.length > 0, 'bandwidths must not be empty');
    checkAllFinite(bw, 'bandwidths');
    for (const h of bw) check(h > 0, `bandwidths must be > 0, got ${h}`);
    return bw;
  }
  const mult = Float64Array.from(options.bandwidthMultiples ?? DEFAULT_BANDWIDTH_MULTIPLES);
  check(mult.length > 0, 'bandwidthMultiples must not be empty');
  checkAllFinite(mult, 'bandwidthMultiples');
  for (const c of mult) check(c > 0, `bandwidthMultiples must be > 0, got ${c}`);
  const med = medianPairwiseDistance(x, y);
  const base = med > 0 ? med : 1;
  return mult.map((c) => c * base);
}

/** Coefficients -1 / (2 h^2) of the kernel exponents. */
export function kernelCoefficients(bandwidths: Float64Array): Float64Array {
  return bandwidths.map((h) => -0.5 / (h * h));
}

/** Sum over the bandwidths of exp(-r^2 / (2 h^2)) for squared distance r2. */
export function rbfSum(r2: number, coef: Float64Array): number {
  let s = 0;
  for (let b = 0; b < coef.length; b++) s += Math.exp(coef[b] * r2);
  return s;
}

/** Sum of k(a_i, b_j) over all i, j (skipping i == j when `same`). */
function kernelSum(a: Batch, na: number, b: Batch, nb: number, d: number, coef: Float64Array, same: boolean): number {
  const p = a.data;
  const q = b.data;
  let total = 0;
  for (let i = 0; i < na; i++) {
    for (let j = same ? i + 1 : 0; j < nb; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = p[i * d + k] - q[j * d + k];
        s += diff * diff;
      }
      total += rbfSum(s, coef);
    }
  }
  return same ? 2 * total : total;
}

/** MMD^2 between the rows of x and y (unbiased unless options.biased); rows may differ in number. */
export function mmd2(x: Batch, y: Batch, options: MmdOptions = {}): number {
  const [n, m, d] = checkPointPair(x, y);
  const biased = options.biased ?? false;
  check(biased || (n >= 2 && m >= 2), `the unbiased MMD needs at least 2 rows per sample, got ${n} and ${m}`);
  const coef = kernelCoefficients(resolveBandwidths(x, y, options));
  const kxx = kernelSum(x, n, x, n, d, coef, true);
  const kyy = kernelSum(y, m, y, m, d, coef, true);
  const kxy = kernelSum(x, n, y, m, d, coef, false);
  if (biased) {
    const diag = coef.length; // k(x, x) = one per bandwidth
    return (kxx + n * diag) / (n * n) + (kyy + m * diag) / (m * m) - (2 * kxy) / (n * m);
  }
  return kxx / (n * (n - 1)) + kyy / (m * (m - 1)) - (2 * kxy) / (n * m);
}
