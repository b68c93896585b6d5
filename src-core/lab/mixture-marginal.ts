// A Gaussian mixture carried by a linear SDE: each component N(mu, S) becomes N(a mu, a^2 S + v I) (exact), in one or two dimensions.
import { check } from '../errors';
import type { GaussianMixture } from '../oracle';

/** A mixture in 1 or 2 dimensions with its covariances as flat row-major arrays. */
export interface SmallMixture {
  readonly d: 1 | 2;
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  /** d x d, row-major. */
  readonly covariances: readonly (readonly number[])[];
}

/** The mixture in d = 2, or its first coordinate's marginal in d = 1. */
export function smallMixture(m: GaussianMixture, d: 1 | 2): SmallMixture {
  check(m.means[0].length === 2, `the Lab's densities take a two-dimensional mixture, got dimension ${m.means[0].length}`);
  return {
    d,
    weights: [...m.weights],
    means: m.means.map((mu) => (d === 1 ? [mu[0]] : [mu[0], mu[1]])),
    covariances: m.covariances.map((S) => (d === 1 ? [S[0][0]] : [S[0][0], S[0][1], S[1][0], S[1][1]])),
  };
}

/** The mixture after the transition x -> a x + sqrt(v) z: components N(a mu, a^2 S + v I). */
export function transportMixture(m: SmallMixture, a: number, v: number): SmallMixture {
  return {
    d: m.d,
    weights: m.weights,
    means: m.means.map((mu) => mu.map((x) => a * x)),
    covariances: m.covariances.map((S) => S.map((s, i) => a * a * s + (i % (m.d + 1) === 0 ? v : 0))),
  };
}

/** The mixture's density at n points (flat [n, d]). */
export function mixtureDensity(m: SmallMixture, points: Float64Array): Float64Array {
  const { d } = m;
  const n = points.length / d;
  const out = new Float64Array(n);
  m.weights.forEach((w, k) => {
    const mu = m.means[k];
    const S = m.covariances[k];
    if (d === 1) {
      const c = w / Math.sqrt(2 * Math.PI * S[0]);
      for (let i = 0; i < n; i++) {
        const y = points[i] - mu[0];
        out[i] += c * Math.exp((-0.5 * y * y) / S[0]);
      }
      return;
    }
    const det = S[0] * S[3] - S[1] * S[2];
    check(det > 0, `component ${k} has a singular covariance`);
    const [i00, i01, i11] = [S[3] / det, -S[1] / det, S[0] / det];
    const c = w / (2 * Math.PI * Math.sqrt(det));
    for (let i = 0; i < n; i++) {
      const y0 = points[2 * i] - mu[0];
      const y1 = points[2 * i + 1] - mu[1];
      out[i] += c * Math.exp(-0.5 * (i00 * y0 * y0 + 2 * i01 * y0 * y1 + i11 * y1 * y1));
    }
  });
  return out;
}

/** Per axis, the widest range mean +- k std of any component. */
export function mixtureRange(m: SmallMixture, k: number): { lo: number[]; hi: number[] } {
  const lo = Array.from({ length: m.d }, () => Infinity);
  const hi = Array.from({ length: m.d }, () => -Infinity);
  m.means.forEach((mu, c) => {
    for (let j = 0; j < m.d; j++) {
      const s = Math.sqrt(m.covariances[c][j * (m.d + 1)]);
      lo[j] = Math.min(lo[j], mu[j] - k * s);
      hi[j] = Math.max(hi[j], mu[j] + k * s);
    }
  });
  return { lo, hi };
}
