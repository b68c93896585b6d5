// W2: 1D quantile formula, sliced W2 of a shift, sliced <= exact, exact W2 against the Gaussian closed form.
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch';
import { batch } from '../batch';
import { Rng } from '../rng';
import { exactW2Squared, randomDirections, slicedW2Squared, w2SquaredSorted1d } from './wasserstein';

function gauss(rng: Rng, n: number, mean: number[], sd: number[]): Batch<Float64Array> {
  const d = mean.length;
  const a = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) a[i * d + k] = mean[k] + sd[k] * rng.normal();
  return batch(a, [n, d]);
}

describe('w2SquaredSorted1d', () => {
  it('integrates the squared gap of the quantile functions exactly', () => {
    // Quantiles of {0, 1} and {0, 0.5, 1} differ by 0.5 on u in [1/3, 2/3): W2^2 = 0.25 / 3.
    expect(w2SquaredSorted1d([0, 1], [0, 0.5, 1])).toBeCloseTo(1 / 12, 14);
    expect(w2SquaredSorted1d([0, 1, 3], [0, 0, 1, 1, 3, 3])).toBe(0); // the same measure
    expect(w2SquaredSorted1d([0, 2], [1, 5])).toBeCloseTo((1 + 9) / 2, 14);
  });
});

describe('slicedW2Squared', () => {
  it('of a pure shift s is the mean of (theta . s)^2 over the directions', () => {
    const rng = new Rng(1);
    const x = gauss(rng, 70, [0, 0, 0], [1, 2, 0.5]);
    const s = [0.3, -1.2, 2];
    const y = batch(Float64Array.from(x.data, (v, k) => v + s[k % 3]), x.shape);
    const dirs = randomDirections(3, 50, new Rng(2));
    let expected = 0;
    for (let k = 0; k < 50; k++) expected += (dirs[3 * k] * s[0] + dirs[3 * k + 1] * s[1] + dirs[3 * k + 2] * s[2]) ** 2 / 50;
    expect(slicedW2Squared(x, y, { directions: dirs })).toBeCloseTo(expected, 9);
    // Over uniform directions E (theta . s)^2 = ||s||^2 / d; (theta . s)^2 / ||s||^2 has variance below 1/d.
    const many = slicedW2Squared(x, y, { projections: 3000, rng: new Rng(3) });
    const norm2 = s.reduce((a, b) => a + b * b, 0);
    expect(Math.abs(many - norm2 / 3)).toBeLessThan(4 * norm2 * Math.sqrt(1 / 3 / 3000));
  });

  it('handles unequal sizes through the quantile functions', () => {
    const x = batch(Float64Array.from([0, 1]), [2, 1]);
    const y = batch(Float64Array.from([1, 0.5, 0]), [3, 1]);
    expect(slicedW2Squared(x, y, { rng: new Rng(4), projections: 5 })).toBeCloseTo(1 / 12, 12);
  });

  it('never exceeds exact W2^2 along any direction (projections are 1-Lipschitz)', () => {
    const rng = new Rng(5);
    const x = gauss(rng, 40, [0, 0, 0], [1, 1, 1]);
    const y = gauss(rng, 40, [1, 0, -1], [0.5, 2, 1]);
    const exact = exactW2Squared(x, y);
    const dirs = randomDirections(3, 60, rng);
    for (let k = 0; k < 60; k++) {
      expect(slicedW2Squared(x, y, { directions: dirs.slice(3 * k, 3 * k + 3) })).toBeLessThanOrEqual(exact + 1e-12);
    }
  });

  it('rejects bad settings', () => {
    const x = batch(new Float64Array(4), [2, 2]);
    expect(() => slicedW2Squared(x, x, {})).toThrow(/rng/);
    expect(() => slicedW2Squared(x, x, { directions: new Float64Array(3) })).toThrow(/directions/);
    expect(() => slicedW2Squared(x, batch(new Float64Array(3), [1, 3]), { rng: new Rng(1) })).toThrow(/dimension mismatch/);
  });
});

describe('exactW2Squared', () => {
  it('equals the sorted (monotone) coupling in one dimension', () => {
    const rng = new Rng(6);
    const x = gauss(rng, 150, [0], [1]);
    const y = gauss(rng, 150, [2], [3]);
    const a = x.data.slice().sort();
    const b = y.data.slice().sort();
    expect(exactW2Squared(x, y)).toBeCloseTo(w2SquaredSorted1d(a, b), 10);
  });

  it('approaches ||m1 - m2||^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2) for Gaussian samples', () => {
    // S1 = I, S2 = 0.25 I in 2D: the trace term is sum_k (1 - 0.5)^2 = 0.5; the mean gap adds 0.25.
    const truth = 0.25 + 2 * 0.25;
    const rng = new Rng(7);
    const n = 300;
    const est: number[] = [];
    const selfGap: number[] = [];
    for (let r = 0; r < 6; r++) {
      est.push(exactW2Squared(gauss(rng, n, [0, 0], [1, 1]), gauss(rng, n, [0.5, 0], [0.5, 0.5])));
      selfGap.push(exactW2Squared(gauss(rng, n, [0, 0], [1, 1]), gauss(rng, n, [0, 0], [1, 1])));
      selfGap.push(exactW2Squared(gauss(rng, n, [0.5, 0], [0.5, 0.5]), gauss(rng, n, [0.5, 0], [0.5, 0.5])));
    }
    const mean = est.reduce((a, b) => a + b, 0) / est.length;
    const se = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1) / est.length);
    // W2^2 is jointly convex, so E[W2^2(empirical, empirical)] >= W2^2(true laws): the bias is upward and
    // only sampling noise can pull the mean below the truth. Its size is that of each sample's own
    // discreteness, which W2^2 between two samples of one law (truth 0) measures: the two laws' self
    // gaps bound the upward allowance. In 2D they shrink like log(n) / n.
    const bias = selfGap.reduce((a, b) => a + b, 0) / (selfGap.length / 2);
    expect(mean).toBeGreaterThan(truth - 4 * se);
    expect(mean).toBeLessThan(truth + bias + 4 * se);
    expect(bias + 4 * se).toBeLessThan(0.5 * truth); // tight enough to catch a wrong pairing or scale
  });

  it('refuses unequal sizes', () => {
    const x = batch(new Float64Array(4), [2, 2]);
    expect(() => exactW2Squared(x, batch(new Float64Array(6), [3, 2]))).toThrow(/equal size/);
  });
});
