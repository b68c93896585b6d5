// Sinkhorn: marginals, the small-epsilon limit against exact assignment, stability, cancellation.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { assignSquaredEuclidean } from './assignment';
import { sinkhorn, sinkhornAsync } from './sinkhorn';

function cloud(rng: Rng, n: number, d: number, scale = 1, shift = 0) {
  const data = new Float64Array(n * d);
  for (let k = 0; k < data.length; k++) data[k] = shift + scale * rng.normal();
  return batch(data, [n, d]);
}

function marginals(plan: Float64Array, n: number, m: number): [Float64Array, Float64Array] {
  const r = new Float64Array(n);
  const c = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    r[i] += plan[i * m + j];
    c[j] += plan[i * m + j];
  }
  return [r, c];
}

describe('sinkhorn', () => {
  it('matches weighted row and column marginals within tolerance', () => {
    const rng = new Rng(1);
    const n = 30;
    const m = 20;
    const x = cloud(rng, n, 3);
    const y = cloud(rng, m, 3, 2, 1);
    const a = Float64Array.from({ length: n }, () => 0.2 + rng.uniform());
    const b = Float64Array.from({ length: m }, () => 0.2 + rng.uniform());
    const sa = a.reduce((p, q) => p + q, 0);
    const sb = b.reduce((p, q) => p + q, 0);
    const tol = 1e-8;
    const res = sinkhorn(x, y, { epsilon: 0.5, sourceWeights: a, targetWeights: b, tolerance: tol });
    expect(res.converged).toBe(true);
    expect(res.marginalError).toBeLessThan(2 * tol);
    const [r, c] = marginals(res.plan, n, m);
    let rowErr = 0;
    let colErr = 0;
    for (let i = 0; i < n; i++) rowErr += Math.abs(r[i] - a[i] / sa);
    for (let j = 0; j < m; j++) colErr += Math.abs(c[j] - b[j] / sb);
    expect(rowErr).toBeLessThan(tol);
    expect(colErr).toBeLessThan(1e-12);
    for (const p of res.plan) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('approaches the exact assignment as epsilon -> 0, within the entropy bound epsilon log n', () => {
    // With uniform weights OT = assignment cost / n; the entropic optimum exceeds it by at most
    // epsilon (H(P_eps) - H(P*)) <= epsilon (2 log n - log n).
    const rng = new Rng(2);
    const n = 12;
    const x = cloud(rng, n, 2);
    const y = cloud(rng, n, 2);
    const exact = assignSquaredEuclidean(x, y);
    const ot = exact.cost / n;
    const tol = 1e-6;
    // A plan off its marginals by tol (L1) can undercut or overshoot by at most tol * max cost.
    let maxCost = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < 2; k++) s += (x.data[2 * i + k] - y.data[2 * j + k]) ** 2;
      maxCost = Math.max(maxCost, s);
    }
    const slack = tol * maxCost;
    let prevGap = Infinity;
    for (const eps of [1, 0.1, 0.01, 0.001]) {
      const res = sinkhorn(x, y, { epsilon: eps, tolerance: tol, maxIterations: 200_000 });
      expect(res.converged).toBe(true);
      const gap = res.cost - ot;
      expect(gap).toBeGreaterThan(-slack);
      expect(gap).toBeLessThan(eps * Math.log(n) + slack);
      expect(gap).toBeLessThanOrEqual(prevGap + slack);
      prevGap = gap;
    }
    const sharp = sinkhorn(x, y, { epsilon: 1e-3, tolerance: tol, maxIterations: 200_000 });
    for (let i = 0; i < n; i++) expect(sharp.plan[i * n + exact.perm[i]]).toBeGreaterThan(0.99 / n);
  });

  it('stays finite at epsilon = 1e-3 of the cost scale where the plain kernel underflows', () => {
    const rng = new Rng(3);
    const n = 24;
    const x = cloud(rng, n, 4, 30);
    const y = cloud(rng, n, 4, 30, 5);
    const scale = 2 * 4 * 900; // typical squared distance
    const eps = 1e-3 * scale;
    expect(Math.exp(-scale / eps)).toBe(0); // exp(-1000): the kernel form would divide 0 by 0
    const res = sinkhorn(x, y, { epsilon: eps, tolerance: 1e-5, maxIterations: 50_000 });
    for (const p of res.plan) expect(Number.isFinite(p)).toBe(true);
    expect(Number.isFinite(res.cost)).toBe(true);
    expect(res.converged).toBe(true);
    expect(res.marginalError).toBeLessThan(2e-5);
    const exact = assignSquaredEuclidean(x, y).cost / n;
    expect(res.cost - exact).toBeLessThan(eps * Math.log(n) + 1e-5 * 4 * scale);
  });

  it('reports non-convergence honestly when capped', () => {
    const rng = new Rng(4);
    const res = sinkhorn(cloud(rng, 30, 2), cloud(rng, 30, 2), { epsilon: 1e-4, maxIterations: 3, anneal: false });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(3);
    expect(res.marginalError).toBeGreaterThan(1e-6);
  });

  it('honours an abort flag and rejects bad options', () => {
    const rng = new Rng(5);
    const x = cloud(rng, 5, 2);
    const y = cloud(rng, 6, 2);
    const flag = { aborted: true };
    expect(() => sinkhorn(x, y, { epsilon: 1, signal: flag })).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect(() => sinkhorn(x, y, { epsilon: 0 })).toThrow(/epsilon/);
    expect(() => sinkhorn(x, y, { epsilon: NaN })).toThrow(StudioError);
    expect(() => sinkhorn(x, y, { epsilon: 1, sourceWeights: [1, 2] })).toThrow(/sourceWeights/);
    expect(() => sinkhorn(x, y, { epsilon: 1, targetWeights: [1, 1, 1, 1, 1, -1] })).toThrow(/negative/);
    expect(() => sinkhorn(x, cloud(rng, 6, 3), { epsilon: 1 })).toThrow(/dimension mismatch/);
  });

  it('solves as sweeps with a turn between them: the same plan, a turn per sweep, and a turn that throws stops it', async () => {
    const rng = new Rng(6);
    const x = cloud(rng, 40, 2);
    const y = cloud(rng, 40, 2, 1.5, 1);
    const options = { epsilon: 0.01, tolerance: 1e-6 };
    const plain = sinkhorn(x, y, options);
    const turns: number[] = [];
    const stepped = await sinkhornAsync(x, y, { ...options, turn: async (k) => void turns.push(k) });
    expect(Array.from(stepped.plan)).toEqual(Array.from(plain.plan));
    expect(stepped.iterations).toBe(plain.iterations);
    // one turn after every sweep but the last, counting sweeps as they go
    expect(turns).toEqual(Array.from({ length: plain.iterations - 1 }, (_, i) => i + 1));
    const stop = sinkhornAsync(x, y, { ...options, turn: async (k) => {
      if (k === 3) throw new StudioError('cancelled', 'stopped');
    } });
    await expect(stop).rejects.toMatchObject({ code: 'cancelled' });
  });
});
