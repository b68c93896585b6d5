// Pair draws follow the plan: chi-square goodness of fit on the joint and on each row's conditional.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { samplePlanPairs, samplePlanRows, sampleSparsePairs, sampleSparseRows } from './plan-sampling';
import type { SparsePlan } from './scaled-sinkhorn';

// A fixed 4 x 5 plan with unequal entries (one zero), total mass 1.
const n = 4;
const m = 5;
const raw = [3, 1, 0, 2, 4, 1, 1, 5, 2, 1, 2, 6, 1, 1, 2, 1, 2, 3, 4, 8];
const total = raw.reduce((a, b) => a + b, 0);
const plan = Float64Array.from(raw, (v) => v / total);

function chiSquare(counts: Float64Array, probs: ArrayLike<number>, draws: number): number {
  let chi = 0;
  for (let k = 0; k < counts.length; k++) {
    const e = probs[k] * draws;
    if (e === 0) {
      if (counts[k] > 0) return Infinity;
      continue;
    }
    chi += (counts[k] - e) ** 2 / e;
  }
  return chi;
}

// Upper 0.1% points of chi-square: 18 degrees of freedom (19 non-zero cells) and 15 (4 rows x 5 cells, one zero).
const CHI2_999_DF18 = 42.31;
const CHI2_999_DF15 = 37.7;

describe('samplePlanPairs', () => {
  it('draws pairs with the plan as their distribution', () => {
    const draws = 60_000;
    const { rows, cols } = samplePlanPairs(plan, n, m, draws, new Rng(1));
    const counts = new Float64Array(n * m);
    for (let t = 0; t < draws; t++) counts[rows[t] * m + cols[t]]++;
    expect(counts[2]).toBe(0); // the zero entry is never drawn
    expect(chiSquare(counts, plan, draws)).toBeLessThan(CHI2_999_DF18);
    // The same statistic against a wrong law (uniform over non-zero cells) is far above the bound.
    const wrong = Float64Array.from(raw, (v) => (v > 0 ? 1 / 19 : 0));
    expect(chiSquare(counts, wrong, draws)).toBeGreaterThan(100 * CHI2_999_DF18);
  });

  it('normalises an unnormalised plan and rejects bad plans', () => {
    const scaled = plan.map((p) => 7 * p);
    const a = samplePlanPairs(scaled, n, m, 50, new Rng(2));
    const b = samplePlanPairs(plan, n, m, 50, new Rng(2));
    expect([...a.cols]).toEqual([...b.cols]);
    expect(() => samplePlanPairs(new Float64Array(20), n, m, 5, new Rng(3))).toThrow(/no mass/);
    expect(() => samplePlanPairs(plan, n, 6, 5, new Rng(3))).toThrow(StudioError);
    expect(() => samplePlanPairs(plan.map((p, k) => (k === 3 ? -p : p)), n, m, 5, new Rng(3))).toThrow(/negative/);
  });
});

describe('samplePlanRows', () => {
  it("draws each row's partner from the row's conditional", () => {
    const repeats = 20_000;
    const rng = new Rng(4);
    const counts = new Float64Array(n * m);
    for (let r = 0; r < repeats; r++) {
      const cols = samplePlanRows(plan, n, m, rng);
      for (let i = 0; i < n; i++) counts[i * m + cols[i]]++;
    }
    const conditional = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += plan[i * m + j];
      for (let j = 0; j < m; j++) conditional[i * m + j] = plan[i * m + j] / s;
    }
    // Each row is a multinomial of `repeats` draws; summing the rows' statistics adds their degrees of freedom.
    let chi = 0;
    for (let i = 0; i < n; i++) {
      chi += chiSquare(counts.subarray(i * m, i * m + m), conditional.subarray(i * m, i * m + m), repeats);
    }
    expect(chi).toBeLessThan(CHI2_999_DF15);
  });

  it('rejects a row without mass', () => {
    const p = plan.slice();
    p.fill(0, m, 2 * m);
    expect(() => samplePlanRows(p, n, m, new Rng(5))).toThrow(/row 1/);
  });
});

/** The fixed plan in the sparse layout, its zero entry left out as a solver would. */
function sparse(): SparsePlan {
  const rowStart = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    rowStart[i] = cols.length;
    for (let j = 0; j < m; j++) if (plan[i * m + j] > 0) {
      cols.push(j);
      vals.push(plan[i * m + j]);
    }
  }
  rowStart[n] = cols.length;
  return {
    n, m, rowStart, cols: Int32Array.from(cols), vals: Float64Array.from(vals), dropped: 0, marginalError: 0, converged: true, sweeps: 0,
    stages: [1], permutation: null, certifiedAt: null, f: new Float64Array(n), g: new Float64Array(m), epsilon: 1,
  };
}

describe('sparse plans', () => {
  it("sampleSparseRows draws each row's partner from the row's conditional", () => {
    const repeats = 20_000;
    const rng = new Rng(6);
    const counts = new Float64Array(n * m);
    const p = sparse();
    for (let r = 0; r < repeats; r++) {
      const cols = sampleSparseRows(p, rng);
      for (let i = 0; i < n; i++) counts[i * m + cols[i]]++;
    }
    let chi = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += plan[i * m + j];
      chi += chiSquare(counts.subarray(i * m, i * m + m), plan.subarray(i * m, i * m + m).map((v) => v / s), repeats);
    }
    expect(chi).toBeLessThan(CHI2_999_DF15);
    // the same draws against the row conditionals of a wrong plan (rows shifted by one) are far off
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const k = (i + 1) % n;
      const w = Float64Array.from({ length: m }, (_, j) => raw[k * m + j] + 0.5);
      const s = w.reduce((a, b) => a + b, 0);
      wrong += chiSquare(counts.subarray(i * m, i * m + m), w.map((v) => v / s), repeats);
    }
    expect(wrong).toBeGreaterThan(100 * CHI2_999_DF15);
  });

  it('sampleSparsePairs draws pairs with the plan as their distribution', () => {
    const draws = 60_000;
    const { rows, cols } = sampleSparsePairs(sparse(), draws, new Rng(7));
    const counts = new Float64Array(n * m);
    for (let t = 0; t < draws; t++) counts[rows[t] * m + cols[t]]++;
    expect(counts[2]).toBe(0);
    expect(chiSquare(counts, plan, draws)).toBeLessThan(CHI2_999_DF18);
  });
});
