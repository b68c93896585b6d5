// Permutation test for MMD^2: the null distribution's quantiles for the samples at hand, and a p-value.
import type { Batch } from '../batch';
import { check, checkInteger } from '../errors';
import { checkPointPair } from '../coupling/cost';
import type { Rng } from '../rng';
import type { MmdOptions } from './mmd';
import { kernelCoefficients, rbfSum, resolveBandwidths } from './mmd';

/** Settings of the permutation test: the kernel settings plus the number of relabellings. */
interface MmdTestOptions extends MmdOptions {
  /** Random relabellings of the pooled sample; default 200. */
  permutations?: number;
  rng: Rng;
}

/** The observed MMD^2, its null distribution under relabelling and the quantiles tests use as thresholds. */
interface MmdTestResult {
  readonly mmd2: number;
  /** (1 + #{null >= observed}) / (1 + permutations). */
  readonly pValue: number;
  readonly q95: number;
  readonly q99: number;
  /** Null statistics, sorted ascending. */
  readonly nullSamples: Float64Array;
  readonly bandwidths: Float64Array;
}

const MAX_POOLED = 4096; // the pooled kernel matrix is (n + m)^2 doubles

/** Permutation test of x ~ y with MMD^2; bandwidths are fixed once from the pooled sample. */
export function mmdPermutationTest(x: Batch, y: Batch, options: MmdTestOptions): MmdTestResult {
  const [n, m, d] = checkPointPair(x, y);
  const biased = options.biased ?? false;
  check(n >= 2 && m >= 2, `the permutation test needs at least 2 rows per sample, got ${n} and ${m}`);
  const perms = options.permutations ?? 200;
  checkInteger(perms, 'permutations', 1);
  const total = n + m;
  check(total <= MAX_POOLED, `the permutation test holds an (n + m)^2 kernel matrix; n + m = ${total} exceeds ${MAX_POOLED}`);
  const bandwidths = resolveBandwidths(x, y, options);
  const coef = kernelCoefficients(bandwidths);

  const pts = new Float64Array(total * d);
  pts.set(x.data, 0);
  pts.set(y.data, n * d);
  const kern = new Float64Array(total * total);
  let offDiag = 0;
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = pts[i * d + k] - pts[j * d + k];
        s += diff * diff;
      }
      const v = rbfSum(s, coef);
      kern[i * total + j] = v;
      kern[j * total + i] = v;
      offDiag += 2 * v;
    }
  }
  const diag = coef.length;
  // For a labelling, sums within each group give the cross sum: offDiag = Sxx + Syy + 2 Sxy.
  const stat = (labels: ArrayLike<number>): number => {
    const sxx = groupSum(kern, total, labels, 0, n);
    const syy = groupSum(kern, total, labels, n, total);
    const sxy = (offDiag - sxx - syy) / 2;
    if (biased) return (sxx + n * diag) / (n * n) + (syy + m * diag) / (m * m) - (2 * sxy) / (n * m);
    return sxx / (n * (n - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (n * m);
  };
  const identity = Uint32Array.from({ length: total }, (_, i) => i);
  const observed = stat(identity);
  const nullSamples = new Float64Array(perms);
  let above = 0;
  for (let p = 0; p < perms; p++) {
    nullSamples[p] = stat(options.rng.permutation(total));
    if (nullSamples[p] >= observed) above++;
  }
  nullSamples.sort();
  return {
    mmd2: observed,
    pValue: (1 + above) / (1 + perms),
    q95: quantile(nullSamples, 0.95),
    q99: quantile(nullSamples, 0.99),
    nullSamples,
    bandwidths,
  };
}

/** The 95% and 99% quantiles of MMD^2 under the null (x and y from one law) for these samples. */
export function mmdNullThreshold(x: Batch, y: Batch, options: MmdTestOptions): { q95: number; q99: number } {
  const { q95, q99 } = mmdPermutationTest(x, y, options);
  return { q95, q99 };
}

function groupSum(kern: Float64Array, total: number, labels: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let a = from; a < to; a++) {
    const row = labels[a] * total;
    for (let b = a + 1; b < to; b++) s += kern[row + labels[b]];
  }
  return 2 * s;
}

/** The smallest sample value with at least a fraction q of the sorted samples at or below it. */
function quantile(sorted: Float64Array, q: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}
