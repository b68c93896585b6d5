// Scaled Sinkhorn: marginals at bounded sweeps from s = 1 to 0.01, agreement with the log-domain solver, and the permutation criterion.
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch';
import { generateDataset } from '../data';
import { Rng } from '../rng';
import { assignSquaredEuclidean } from './assignment';
import { scaledSinkhorn, type SparsePlan } from './scaled-sinkhorn';
import { sinkhorn } from './sinkhorn';

function sets(n: number): [Batch, Batch] {
  return [
    { data: generateDataset('eight-gaussians', { count: n, seed: 1 }).data, shape: [n, 2] },
    { data: generateDataset('two-moons', { count: n, seed: 2 }).data, shape: [n, 2] },
  ];
}

function dense(p: SparsePlan): Float64Array {
  const out = new Float64Array(p.n * p.m);
  for (let i = 0; i < p.n; i++) for (let k = p.rowStart[i]; k < p.rowStart[i + 1]; k++) out[i * p.m + p.cols[k]] = p.vals[k];
  return out;
}

function costOf(x: Batch, y: Batch, i: number, j: number): number {
  return (x.data[2 * i] - y.data[2 * j]) ** 2 + (x.data[2 * i + 1] - y.data[2 * j + 1]) ** 2;
}

/** H(J | I) of a dense plan: the entropy of each row's conditional, weighted by the row's mass. */
function conditionalEntropy(plan: Float64Array, n: number, m: number): number {
  let h = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) row += plan[i * m + j];
    for (let j = 0; j < m; j++) {
      const q = plan[i * m + j] / row;
      if (q > 0) h -= row * q * Math.log(q);
    }
  }
  return h;
}

describe('scaledSinkhorn', () => {
  it('meets both marginals within tolerance for s from 1 down to 0.01 in a bounded number of sweeps', () => {
    const n = 96;
    const [x, y] = sets(n);
    const tol = 1e-3;
    for (const s of [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01]) {
      const p = scaledSinkhorn(x, y, { epsilon: 2 * s * s, tolerance: tol, maxSweeps: 1000 });
      expect(p.converged).toBe(true);
      expect(p.sweeps).toBeLessThan(1000);
      // the marginals recomputed from the entries, with the bound on the left-out mass against both
      const plan = dense(p);
      let rowErr = 0;
      const cols = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let j = 0; j < n; j++) {
          r += plan[i * n + j];
          cols[j] += plan[i * n + j];
        }
        rowErr += Math.abs(r - 1 / n);
      }
      let colErr = 0;
      for (let j = 0; j < n; j++) colErr += Math.abs(cols[j] - 1 / n);
      expect(rowErr + 2 * p.dropped).toBeLessThan(tol);
      expect(colErr).toBeLessThan(1e-12 + 2 * p.dropped);
      expect(p.stages[p.stages.length - 1]).toBe(2 * s * s);
    }
  });

  it('agrees with the log-domain solver at tight tolerance in entries and transport cost', () => {
    const n = 48;
    const [x, y] = sets(n);
    const tol = 1e-4;
    for (const s of [1, 0.5, 0.2]) {
      const eps = 2 * s * s;
      const ref = sinkhorn(x, y, { epsilon: eps, tolerance: 1e-10, maxIterations: 100_000 });
      expect(ref.converged).toBe(true);
      const plan = dense(scaledSinkhorn(x, y, { epsilon: eps, tolerance: tol }));
      let l1 = 0;
      let cost = 0;
      let maxCost = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const c = costOf(x, y, i, j);
        maxCost = Math.max(maxCost, c);
        cost += plan[i * n + j] * c;
        l1 += Math.abs(plan[i * n + j] - ref.plan[i * n + j]);
      }
      expect(l1).toBeLessThan(2 * tol);
      expect(Math.abs(cost - ref.cost)).toBeLessThan(2 * tol * maxCost);
    }
  });

  it('draws from the OT assignment exactly where the permutation criterion holds, and the entropic plan is then that close to it', () => {
    // well separated pairs: a grid of sources, each target a small shift of its source
    const rng = new Rng(3);
    const n = 25;
    const xs = new Float64Array(2 * n);
    const ys = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      xs[2 * i] = i % 5;
      xs[2 * i + 1] = Math.floor(i / 5);
      ys[2 * i] = xs[2 * i] + 0.2 * rng.normal();
      ys[2 * i + 1] = xs[2 * i + 1] + 0.2 * rng.normal();
    }
    const x = { data: xs, shape: [n, 2] };
    const y = { data: ys, shape: [n, 2] };
    const exact = assignSquaredEuclidean(x, y).perm;
    const tol = 1e-3;
    const seen = new Set<boolean>();
    for (const eps of [1, 0.3, 0.2, 0.015, 0.01]) {
      const p = scaledSinkhorn(x, y, { epsilon: eps, tolerance: tol });
      const ref = sinkhorn(x, y, { epsilon: eps, tolerance: 1e-10, maxIterations: 200_000 });
      seen.add(p.permutation !== null);
      if (p.permutation) {
        expect(Array.from(p.permutation)).toEqual(Array.from(exact));
        // the true entropic plan lies within L1 distance tol of the permutation plan
        let l1 = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) l1 += Math.abs(ref.plan[i * n + j] - (j === exact[i] ? 1 / n : 0));
        expect(l1).toBeLessThan(tol);
        expect(p.certifiedAt).toBeGreaterThanOrEqual(eps);
      } else {
        // refused only where the plan's own conditional entropy is above the criterion's bound
        const h = conditionalEntropy(dense(p), n, n);
        expect(h > tol / 2 || h * n >= Math.LN2).toBe(true);
        expect(conditionalEntropy(ref.plan, n, n)).toBeGreaterThan(tol / 4);
      }
    }
    expect([...seen].sort()).toEqual([false, true]);
  });

  it('reports an unconverged plan at the sweep cap and honours an abort flag', () => {
    const [x, y] = sets(64);
    const p = scaledSinkhorn(x, y, { epsilon: 0.005, tolerance: 1e-6, maxSweeps: 5 });
    expect(p.converged).toBe(false);
    expect(p.sweeps).toBe(5);
    expect(p.marginalError).toBeGreaterThan(1e-6);
    expect(() => scaledSinkhorn(x, y, { epsilon: 1, signal: { aborted: true } })).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect(() => scaledSinkhorn(x, y, { epsilon: 0 })).toThrow(/epsilon/);
    expect(() => scaledSinkhorn(x, y, { epsilon: 1, tolerance: 2 })).toThrow(/tolerance/);
  });
});
