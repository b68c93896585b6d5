// The Gaussian Schrödinger bridge against what pins it down independently: its ends, the 1-D entropic OT optimum, the optimality condition of entropic OT over Gaussian couplings, and the OT (McCann) limit as s -> 0.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { covariance2d, gaussianBridge, gaussianW2Squared, type Gaussian } from './gaussian-bridge';
import { combine, frobenius, identity, inverseSqrtPd, matMul, sqrtPsd, symmetricEigen, transpose, type Mat } from './symmetric';

/** A random symmetric positive definite d x d matrix A A^T + 0.3 I. */
function randomSpd(d: number, rng: Rng): Mat {
  const a = Float64Array.from({ length: d * d }, () => rng.normal());
  return combine(1, matMul(a, transpose(a, d), d), 1, identity(d, 0.3));
}

function randomGaussian(d: number, rng: Rng): Gaussian {
  return { mean: Float64Array.from({ length: d }, () => 2 * rng.normal()), cov: randomSpd(d, rng) };
}

const close = (a: Mat, b: Mat) => frobenius(combine(1, a, -1, b)) / Math.max(1, frobenius(b));

describe('symmetric matrix functions', () => {
  it('diagonalise a symmetric matrix and take its square root and inverse square root', () => {
    const rng = new Rng(3);
    for (const d of [1, 2, 3, 5]) {
      const a = randomSpd(d, rng);
      const { values, vectors } = symmetricEigen(a, d);
      const back = matMul(matMul(vectors, Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? values[k / (d + 1)] : 0)), d), transpose(vectors, d), d);
      expect(close(back, a)).toBeLessThan(1e-12);
      const r = sqrtPsd(a, d);
      expect(close(matMul(r, r, d), a)).toBeLessThan(1e-12);
      expect(close(matMul(matMul(inverseSqrtPd(a, d), a, d), inverseSqrtPd(a, d), d), identity(d))).toBeLessThan(1e-11);
    }
  });
});

describe('gaussianBridge', () => {
  it('starts at N(mu0, S0), ends at N(mu1, S1) and moves its mean on the straight line', () => {
    const rng = new Rng(1);
    for (const d of [1, 2, 3]) {
      const p0 = randomGaussian(d, rng);
      const p1 = randomGaussian(d, rng);
      const b = gaussianBridge(p0, p1, 0.7);
      expect(close(b.marginal(0).cov, p0.cov)).toBeLessThan(1e-12);
      expect(close(b.marginal(1).cov, p1.cov)).toBeLessThan(1e-12);
      const m = b.marginal(0.3).mean;
      for (let i = 0; i < d; i++) expect(m[i]).toBeCloseTo(0.7 * p0.mean[i] + 0.3 * p1.mean[i], 12);
    }
  });

  it('in 1-D has the cross-covariance of the entropic optimum: c^2 + s^2 c = a^2 b^2, so c = (sqrt(4 a^2 b^2 + s^4) - s^2) / 2', () => {
    // E (x - y)^2 - 2 s^2 H over couplings with Cov(x, y) = c: stationary where 2 = 2 s^2 c / (a^2 b^2 - c^2)
    for (const [a, b, s] of [[1, 1, 1], [0.5, 2, 0.3], [3, 0.2, 2]]) {
      const bridge = gaussianBridge({ mean: Float64Array.of(0), cov: Float64Array.of(a * a) }, { mean: Float64Array.of(1), cov: Float64Array.of(b * b) }, s);
      const c = bridge.cross[0];
      expect(c * c + s * s * c).toBeCloseTo(a * a * b * b, 10);
      // the t = 1/2 variance: a^2/4 + b^2/4 + (2c + s^2)/4
      expect(bridge.marginal(0.5).cov[0]).toBeCloseTo((a * a + b * b + 2 * c + s * s) / 4, 12);
    }
  });

  it('in d dimensions satisfies the optimality condition of entropic OT over Gaussian couplings: s^2 C = S0 (S1 - C^T S0^-1 C)', () => {
    // minimise tr S0 + tr S1 - 2 tr C - s^2 log det [[S0, C], [C^T, S1]] over C: the gradient -2 I + 2 s^2 S0^-1 C (S1 - C^T S0^-1 C)^-1 vanishes
    const rng = new Rng(7);
    for (const d of [2, 3, 4]) {
      for (const s of [0.2, 1, 3]) {
        const p0 = randomGaussian(d, rng);
        const p1 = randomGaussian(d, rng);
        const C = gaussianBridge(p0, p1, s).cross;
        const inv0 = matMul(inverseSqrtPd(p0.cov, d), inverseSqrtPd(p0.cov, d), d);
        const schur = combine(1, p1.cov, -1, matMul(matMul(transpose(C, d), inv0, d), C, d));
        expect(close(combine(s * s, C, 0, C), matMul(p0.cov, schur, d))).toBeLessThan(1e-9);
        // and the coupling is a covariance: its Schur complement stays positive definite
        expect(Math.min(...symmetricEigen(schur, d).values)).toBeGreaterThan(0);
      }
    }
  });

  it('tends to the OT (McCann) interpolation and its cost to the Bures W2^2 as s -> 0', () => {
    const rng = new Rng(11);
    const d = 2;
    const p0 = { mean: Float64Array.of(1, -1), cov: covariance2d(1, 0.5, 0.6) };
    const p1 = randomGaussian(d, rng);
    // the OT map x -> mu1 + T (x - mu0), T = S0^-1/2 (S0^1/2 S1 S0^1/2)^1/2 S0^-1/2, pushed along (1 - t) I + t T
    const r0 = sqrtPsd(p0.cov, d);
    const ir0 = inverseSqrtPd(p0.cov, d);
    const T = matMul(matMul(ir0, sqrtPsd(matMul(matMul(r0, p1.cov, d), r0, d), d), d), ir0, d);
    const w2 = gaussianW2Squared(p0, p1);
    let previous = Infinity;
    for (const s of [1, 0.3, 0.1, 0.01, 1e-4]) {
      const b = gaussianBridge(p0, p1, s);
      const gap = b.transportCost - w2;
      expect(gap).toBeGreaterThan(-1e-9);
      expect(gap).toBeLessThan(previous);
      previous = gap;
    }
    expect(previous).toBeLessThan(1e-6);
    const b = gaussianBridge(p0, p1, 1e-5);
    for (const t of [0.25, 0.5, 0.8]) {
      const A = combine(1 - t, identity(d), t, T);
      expect(close(b.marginal(t).cov, matMul(matMul(A, p0.cov, d), transpose(A, d), d))).toBeLessThan(1e-7);
    }
    // and the Bures formula against a case worked by hand: commuting diagonal covariances give sum (sqrt a_i - sqrt b_i)^2
    const diag = gaussianW2Squared({ mean: Float64Array.of(0, 0), cov: Float64Array.of(4, 0, 0, 1) }, { mean: Float64Array.of(3, 4), cov: Float64Array.of(1, 0, 0, 9) });
    expect(diag).toBeCloseTo(25 + 1 + 4, 12);
  });

  it('refuses a negative noise level and a covariance that is not positive definite', () => {
    const g = { mean: Float64Array.of(0, 0), cov: identity(2) };
    expect(() => gaussianBridge(g, g, -1)).toThrow(/noise level/);
    expect(() => gaussianBridge({ mean: g.mean, cov: Float64Array.of(1, 2, 2, 1) }, g, 1)).toThrow(/positive definite/);
    expect(() => covariance2d(1, 1, 1)).toThrow(/rho/);
  });
});
