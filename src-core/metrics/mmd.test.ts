// MMD^2: definitions on a hand example, unbiasedness under the null, power on a shift, the permutation test.
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { medianPairwiseDistance, mmd2 } from './mmd';
import { mmdNullThreshold, mmdPermutationTest } from './mmd-null';

function gauss(rng: Rng, n: number, d: number, shift = 0): Batch<Float64Array> {
  const a = rng.fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++) a[i * d] += shift;
  return batch(a, [n, d]);
}

function meanAndSe(v: number[]): [number, number] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const varr = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  return [mean, Math.sqrt(varr / v.length)];
}

describe('mmd2', () => {
  it('follows the U- and V-statistic definitions on a two-point example', () => {
    const k = (r: number) => Math.exp(-(r * r) / 2) + Math.exp(-(r * r) / 8); // bandwidths 1 and 2
    const x = batch(Float64Array.from([0, 1]), [2, 1]);
    const y = batch(Float64Array.from([0, 2]), [2, 1]);
    const cross = (k(0) + k(2) + k(1) + k(1)) / 4;
    const unbiased = k(1) + k(2) - 2 * cross;
    const biased = (2 * k(0) + 2 * k(1)) / 4 + (2 * k(0) + 2 * k(2)) / 4 - 2 * cross;
    expect(mmd2(x, y, { bandwidths: [1, 2] })).toBeCloseTo(unbiased, 12);
    expect(mmd2(x, y, { bandwidths: [1, 2], biased: true })).toBeCloseTo(biased, 12);
  });

  it('is unbiased for zero under the null and the V-statistic is never negative', () => {
    const rng = new Rng(1);
    const u: number[] = [];
    for (let r = 0; r < 40; r++) {
      const x = gauss(rng, 60, 3);
      const y = gauss(rng, 60, 3);
      u.push(mmd2(x, y, { bandwidths: [0.5, 1, 2] }));
      expect(mmd2(x, y, { bandwidths: [0.5, 1, 2], biased: true })).toBeGreaterThanOrEqual(-1e-12);
    }
    const [mean, se] = meanAndSe(u);
    expect(Math.abs(mean)).toBeLessThan(4 * se);
    expect(u.some((v) => v < 0)).toBe(true); // a U-statistic straddles zero under the null
  });

  it('is clearly positive for a shifted sample, beyond the 99% null quantile', () => {
    const rng = new Rng(2);
    const x = gauss(rng, 100, 3);
    const y = gauss(rng, 100, 3, 1);
    const test = mmdPermutationTest(x, y, { rng: new Rng(3), permutations: 200 });
    expect(test.mmd2).toBeGreaterThan(test.q99);
    expect(test.pValue).toBeLessThan(0.01);
    expect(test.mmd2).toBeCloseTo(mmd2(x, y), 10); // the test's statistic is the plain estimator
  });

  it('is symmetric and invariant under rotating both samples', () => {
    const rng = new Rng(4);
    const x = gauss(rng, 50, 2);
    const y = gauss(rng, 40, 2, 0.7);
    const c = Math.cos(0.8);
    const s = Math.sin(0.8);
    const rot = (b: Batch<Float64Array>) =>
      batch(Float64Array.from(b.data, (_, k) => (k % 2 === 0 ? c * b.data[k] - s * b.data[k + 1] : s * b.data[k - 1] + c * b.data[k])), b.shape);
    const v = mmd2(x, y);
    expect(mmd2(y, x)).toBeCloseTo(v, 12);
    expect(mmd2(rot(x), rot(y))).toBeCloseTo(v, 10);
    expect(medianPairwiseDistance(rot(x), rot(y))).toBeCloseTo(medianPairwiseDistance(x, y), 10);
  });

  it('rejects mismatched, empty, non-finite and too small samples', () => {
    const rng = new Rng(5);
    const x = gauss(rng, 5, 2);
    expect(() => mmd2(x, gauss(rng, 5, 3))).toThrow(/dimension mismatch/);
    expect(() => mmd2(x, batch(new Float64Array(0), [0, 2]))).toThrow(/empty/);
    expect(() => mmd2(x, batch(Float64Array.from([0, NaN]), [1, 2]))).toThrow(StudioError);
    expect(() => mmd2(x, gauss(rng, 1, 2))).toThrow(/at least 2 rows/);
    expect(() => mmd2(x, gauss(rng, 3, 2), { bandwidths: [1, -1] })).toThrow(/bandwidths/);
  });
});

describe('mmdPermutationTest', () => {
  it('rejects a true null at about its nominal rate', () => {
    // 40 independent null experiments at level 0.05: 2 rejections expected; 7 or more has probability ~1.4%.
    const rng = new Rng(6);
    let rejected = 0;
    for (let r = 0; r < 40; r++) {
      const x = gauss(rng, 25, 2);
      const y = gauss(rng, 25, 2);
      const t = mmdPermutationTest(x, y, { rng, permutations: 99, bandwidths: [1] });
      expect(t.q95).toBeLessThanOrEqual(t.q99);
      if (t.pValue <= 0.05) rejected++;
    }
    expect(rejected).toBeLessThanOrEqual(6);
  });

  it('gives thresholds that a fresh null sample stays under 95% of the time', () => {
    const rng = new Rng(7);
    const x = gauss(rng, 40, 2);
    const y = gauss(rng, 40, 2);
    const { q95, q99 } = mmdNullThreshold(x, y, { rng, permutations: 400, bandwidths: [1] });
    let above = 0;
    for (let r = 0; r < 60; r++) if (mmd2(gauss(rng, 40, 2), gauss(rng, 40, 2), { bandwidths: [1] }) > q95) above++;
    // Binomial(60, 0.05): 3 expected; 10 or more has probability below 0.3%.
    expect(above).toBeLessThan(10);
    expect(q99).toBeGreaterThan(q95);
  });
});
