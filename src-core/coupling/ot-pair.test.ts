// otPair: exact re-pairing minimises total squared distance; Sinkhorn re-pairing follows the plan.
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch';
import { batch, rowSize } from '../batch';
import { Rng } from '../rng';
import { assignSquaredEuclidean } from './assignment';
import { otPair } from './ot-pair';

function cloud(rng: Rng, n: number, d: number, shift = 0): Batch<Float32Array> {
  const data = rng.fillNormal(new Float32Array(n * d));
  for (let k = 0; k < data.length; k++) data[k] += shift;
  return batch(data, [n, d]);
}

function pairedCost(a: Batch, b: Batch): number {
  const d = rowSize(a);
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += (a.data[k] - b.data[k]) ** 2;
  return s / (a.data.length / d);
}

describe('otPair', () => {
  it("exact: the reordered target is target[perm], no pairing of the rows is cheaper", () => {
    const rng = new Rng(1);
    const n = 64;
    const x = cloud(rng, n, 3);
    const y = cloud(rng, n, 3, 2);
    const out = otPair(x, y, { method: 'exact' });
    expect(out.source).toBe(x);
    expect(out.target.shape).toEqual([n, 3]);
    expect(out.target.data).toBeInstanceOf(Float32Array);
    for (let i = 0; i < n; i++) {
      expect(out.rows[i]).toBe(i);
      for (let k = 0; k < 3; k++) expect(out.target.data[i * 3 + k]).toBe(y.data[out.cols[i] * 3 + k]);
    }
    const best = pairedCost(out.source, out.target);
    expect(best).toBeLessThan(pairedCost(x, y));
    // Random re-pairings are never cheaper than the optimum.
    for (let r = 0; r < 20; r++) {
      const p = rng.permutation(n);
      const shuffled = batch(Float32Array.from({ length: n * 3 }, (_, k) => y.data[p[Math.floor(k / 3)] * 3 + (k % 3)]), [n, 3]);
      expect(pairedCost(x, shuffled)).toBeGreaterThanOrEqual(best - 1e-9);
    }
  });

  it('sinkhorn at small epsilon reproduces the exact pairing; large epsilon approaches independence', () => {
    const rng = new Rng(2);
    const n = 16;
    const x = cloud(rng, n, 2);
    const y = cloud(rng, n, 2);
    const { perm } = assignSquaredEuclidean(x, y);
    const sharp = otPair(x, y, { method: 'sinkhorn', epsilon: 1e-3, rng: new Rng(3) });
    for (let i = 0; i < n; i++) expect(sharp.cols[i]).toBe(perm[i]);
    // At huge epsilon the plan is nearly the product of uniforms: partners spread over many columns.
    const seen = new Set<number>();
    const flat = new Rng(4);
    for (let r = 0; r < 20; r++) {
      const out = otPair(x, y, { method: 'sinkhorn', epsilon: 1e4, rng: flat });
      seen.add(out.cols[0]);
    }
    expect(seen.size).toBeGreaterThan(8);
  });

  it('says which plan it drew from: the OT assignment where the entropic plan is certified a permutation, else the entropic plan', () => {
    // a 4 x 4 grid of sources, each target a small shift of its source: at small epsilon the plan is the assignment
    const rng = new Rng(8);
    const n = 16;
    const x = batch(Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? (k / 2) % 4 : Math.floor(k / 8))), [n, 2]);
    const y = batch(Float32Array.from(x.data, (v) => v + 0.1 * rng.normal()), [n, 2]);
    const { perm } = assignSquaredEuclidean(x, y);
    const sharp = otPair(x, y, { method: 'sinkhorn', epsilon: 1e-3, rng: new Rng(9), tolerance: 1e-3 });
    expect(sharp.solve).toMatchObject({ plan: 'ot', converged: true });
    expect(Array.from(sharp.cols)).toEqual(Array.from(perm));
    const soft = otPair(x, y, { method: 'sinkhorn', epsilon: 0.5, rng: new Rng(9), tolerance: 1e-3 });
    expect(soft.solve).toMatchObject({ plan: 'entropic', converged: true });
    expect(soft.solve?.marginalError).toBeLessThan(1e-3);
    expect(otPair(x, y, { method: 'exact' }).solve).toBeUndefined();
  });

  it("draw: 'plan' returns pairs whose batches match their indices, with unequal sizes", () => {
    const rng = new Rng(5);
    const x = cloud(rng, 10, 2);
    const y = cloud(rng, 7, 2, 1);
    const out = otPair(x, y, { method: 'sinkhorn', epsilon: 0.5, rng: new Rng(6), draw: 'plan' });
    expect(out.source.shape).toEqual([10, 2]);
    expect(out.target.shape).toEqual([10, 2]);
    for (let k = 0; k < 10; k++) {
      for (let c = 0; c < 2; c++) {
        expect(out.source.data[k * 2 + c]).toBe(x.data[out.rows[k] * 2 + c]);
        expect(out.target.data[k * 2 + c]).toBe(y.data[out.cols[k] * 2 + c]);
      }
    }
  });

  it('rejects missing settings, unknown methods and mismatched batches', () => {
    const rng = new Rng(7);
    const x = cloud(rng, 4, 2);
    const y = cloud(rng, 4, 2);
    expect(() => otPair(x, y, { method: 'sinkhorn', rng })).toThrow(/epsilon/);
    expect(() => otPair(x, y, { method: 'sinkhorn', epsilon: 1 })).toThrow(/rng/);
    expect(() => otPair(x, y, { method: 'greedy' as 'exact' })).toThrow(expect.objectContaining({ code: 'unknown-method' }));
    expect(() => otPair(x, cloud(rng, 5, 2), { method: 'exact' })).toThrow(/equal batch sizes/);
    expect(() => otPair(x, cloud(rng, 4, 3), { method: 'exact' })).toThrow(/dimension mismatch/);
  });
});
