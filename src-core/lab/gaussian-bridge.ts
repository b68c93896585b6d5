// The Schrödinger bridge between two Gaussians in closed form (Bunne et al., AISTATS 2023; MATH.md §9), and the Bures form of W2 between Gaussians.
import { StudioError } from '../errors';
import { combine, identity, inverseSqrtPd, matMul, sqrtPsd, trace, transpose, type Mat } from './symmetric';

/** A Gaussian N(mean, cov) in d dimensions (cov row-major, symmetric positive definite). */
export interface Gaussian {
  readonly mean: Float64Array;
  readonly cov: Mat;
}

/** The bridge from N(mu0, S0) at t = 0 to N(mu1, S1) at t = 1 with Brownian reference of variance s^2 per unit time. */
interface GaussianBridge {
  readonly d: number;
  readonly s: number;
  /** Cov(x0, x1) under the bridge's end-point coupling (the entropic OT plan with epsilon = 2 s^2). */
  readonly cross: Mat;
  /** The marginal at t: mean (1 - t) mu0 + t mu1, covariance (1 - t)^2 S0 + t^2 S1 + t (1 - t) (C + C^T + s^2 I). */
  marginal(t: number): Gaussian;
  /** E ||x1 - x0||^2 under the end-point coupling. */
  readonly transportCost: number;
}

function checkGaussian(g: Gaussian, d: number, what: string): void {
  if (g.mean.length !== d || g.cov.length !== d * d) throw new StudioError('invalid-shape', `${what} must have a mean of ${d} and a ${d} x ${d} covariance`);
}

/** The Schrödinger bridge between Gaussians p0 and p1 at noise level s (s = 0 gives the OT, McCann, interpolation). */
export function gaussianBridge(p0: Gaussian, p1: Gaussian, s: number): GaussianBridge {
  const d = p0.mean.length;
  checkGaussian(p0, d, 'the t = 0 Gaussian');
  checkGaussian(p1, d, 'the t = 1 Gaussian');
  if (!(s >= 0) || !Number.isFinite(s)) throw new StudioError('invalid-argument', `the noise level s must be a finite number >= 0, got ${s}`);
  const root0 = sqrtPsd(p0.cov, d);
  const invRoot0 = inverseSqrtPd(p0.cov, d);
  const s2 = s * s;
  // D = (4 S0^1/2 S1 S0^1/2 + s^4 I)^1/2, C = (S0^1/2 D S0^-1/2 - s^2 I) / 2
  const inner = combine(4, matMul(matMul(root0, p1.cov, d), root0, d), 1, identity(d, s2 * s2));
  const D = sqrtPsd(inner, d);
  const cross = combine(0.5, matMul(matMul(root0, D, d), invRoot0, d), -0.5, identity(d, s2));
  const sym = combine(1, cross, 1, transpose(cross, d));
  let shift = 0;
  for (let i = 0; i < d; i++) shift += (p1.mean[i] - p0.mean[i]) ** 2;
  return {
    d,
    s,
    cross,
    transportCost: shift + trace(p0.cov, d) + trace(p1.cov, d) - 2 * trace(cross, d),
    marginal(t) {
      const mean = Float64Array.from(p0.mean, (m0, i) => (1 - t) * m0 + t * p1.mean[i]);
      const a = (1 - t) * (1 - t);
      const b = t * t;
      const c = t * (1 - t);
      const cov = new Float64Array(d * d);
      for (let k = 0; k < d * d; k++) cov[k] = a * p0.cov[k] + b * p1.cov[k] + c * sym[k];
      for (let i = 0; i < d; i++) cov[i * d + i] += c * s2;
      return { mean, cov };
    },
  };
}

/** W2^2 between Gaussians: |mu0 - mu1|^2 + tr S0 + tr S1 - 2 tr (S0^1/2 S1 S0^1/2)^1/2 (the Bures distance of the covariances). */
export function gaussianW2Squared(p0: Gaussian, p1: Gaussian): number {
  const d = p0.mean.length;
  checkGaussian(p0, d, 'the first Gaussian');
  checkGaussian(p1, d, 'the second Gaussian');
  const root0 = sqrtPsd(p0.cov, d);
  let shift = 0;
  for (let i = 0; i < d; i++) shift += (p1.mean[i] - p0.mean[i]) ** 2;
  return shift + trace(p0.cov, d) + trace(p1.cov, d) - 2 * trace(sqrtPsd(matMul(matMul(root0, p1.cov, d), root0, d), d), d);
}

/** A 2-D covariance from its standard deviations and correlation. */
export function covariance2d(sx: number, sy: number, rho: number): Mat {
  if (!(sx > 0 && sy > 0 && rho > -1 && rho < 1)) throw new StudioError('invalid-argument', `a 2-D covariance needs sx, sy > 0 and -1 < rho < 1, got ${sx}, ${sy}, ${rho}`);
  return Float64Array.of(sx * sx, rho * sx * sy, rho * sx * sy, sy * sy);
}
