// Draws from a Gaussian and the sample moments of a point cloud, with the standard errors of those moments under a Gaussian law.
import type { Rng } from '../rng';
import type { Gaussian } from './gaussian-bridge';
import { sqrtPsd } from './symmetric';

/** n draws mean + S^1/2 z of N(mean, cov), row-major [n, d]. */
export function drawGaussian(g: Gaussian, n: number, rng: Rng): Float64Array {
  const d = g.mean.length;
  const root = sqrtPsd(g.cov, d);
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let a = 0; a < d; a++) {
      let v = g.mean[a];
      for (let k = 0; k < d; k++) v += root[a * d + k] * z[k];
      out[i * d + a] = v;
    }
  }
  return out;
}

/** The sample mean and the (1/(n-1)) sample covariance of the rows of x [n, d]. */
export function sampleMoments(x: ArrayLike<number>, n: number, d: number): Gaussian {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = x[i * d + a] - mean[a];
      for (let b = 0; b < d; b++) cov[a * d + b] += (da * (x[i * d + b] - mean[b])) / (n - 1);
    }
  }
  return { mean, cov };
}

/** The sample cross-covariance (1/(n-1)) sum (x_i - xbar)(y_i - ybar)^T of paired rows, [d, d]. */
export function sampleCrossCovariance(x: ArrayLike<number>, y: ArrayLike<number>, n: number, d: number): Float64Array {
  const mx = sampleMoments(x, n, d).mean;
  const my = sampleMoments(y, n, d).mean;
  const out = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[a * d + b] += ((x[i * d + a] - mx[a]) * (y[i * d + b] - my[b])) / (n - 1);
  }
  return out;
}

/**
 * The standard errors of n-draw estimates of a Gaussian's moments, as root-sum-squares over entries: the mean's
 * sqrt(tr S / n) and the covariance's sqrt(sum_ab (S_aa S_bb + S_ab^2) / n), the sizes a correct estimate's errors have.
 */
export function momentStandardErrors(g: Gaussian, n: number): { mean: number; cov: number } {
  const d = g.mean.length;
  let tr = 0;
  let sum = 0;
  for (let a = 0; a < d; a++) {
    tr += g.cov[a * d + a];
    for (let b = 0; b < d; b++) sum += g.cov[a * d + a] * g.cov[b * d + b] + g.cov[a * d + b] ** 2;
  }
  return { mean: Math.sqrt(tr / n), cov: Math.sqrt(sum / n) };
}
