// Energy distance against its closed form for two unit Gaussians in 1D, and ~0 under the null.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { Rng } from '../rng';
import { energyDistance } from './energy';

/** erf by Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - poly * Math.exp(-a * a));
}
const Phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/** E|Z| for Z ~ N(mu, s^2): the folded normal mean. */
const foldedMean = (mu: number, s: number) => s * Math.sqrt(2 / Math.PI) * Math.exp(-(mu * mu) / (2 * s * s)) + mu * (1 - 2 * Phi(-mu / s));

function sample(rng: Rng, n: number, shift: number) {
  return batch(Float64Array.from({ length: n }, () => shift + rng.normal()), [n, 1]);
}

function meanAndSe(v: number[]): [number, number] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const varr = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  return [mean, Math.sqrt(varr / v.length)];
}

describe('energyDistance', () => {
  it('matches 2 E|X - Y| - E|X - X\'| - E|Y - Y\'| for N(0, 1) and N(1, 1)', () => {
    // X - Y ~ N(-1, 2), X - X' ~ N(0, 2): the closed form is 2 E|N(1, 2)| - 2 E|N(0, 2)|.
    const truth = 2 * foldedMean(1, Math.SQRT2) - 2 * foldedMean(0, Math.SQRT2);
    expect(truth).toBeCloseTo(0.5414, 3);
    const rng = new Rng(1);
    const est: number[] = [];
    for (let r = 0; r < 30; r++) est.push(energyDistance(sample(rng, 300, 0), sample(rng, 250, 1)));
    const [mean, se] = meanAndSe(est);
    expect(Math.abs(mean - truth)).toBeLessThan(4 * se);
    expect(se).toBeLessThan(0.05 * truth); // the check above has teeth
  });

  it('is near zero for one law (unbiased) and non-negative as a V-statistic', () => {
    const rng = new Rng(2);
    const est: number[] = [];
    for (let r = 0; r < 25; r++) {
      const x = batch(rng.fillNormal(new Float64Array(80 * 3)), [80, 3]);
      const y = batch(rng.fillNormal(new Float64Array(60 * 3)), [60, 3]);
      est.push(energyDistance(x, y));
      expect(energyDistance(x, y, { biased: true })).toBeGreaterThanOrEqual(0);
    }
    const [mean, se] = meanAndSe(est);
    expect(Math.abs(mean)).toBeLessThan(4 * se);
  });

  it('rejects bad input', () => {
    const x = batch(new Float64Array(4), [2, 2]);
    expect(() => energyDistance(x, batch(new Float64Array(6), [2, 3]))).toThrow(/dimension mismatch/);
    expect(() => energyDistance(x, batch(new Float64Array(2), [1, 2]))).toThrow(/at least 2 rows/);
    expect(() => energyDistance(x, batch(Float64Array.from([1, 2, Infinity, 0]), [2, 2]))).toThrow(/y\[2\]/);
  });
});
