// 'couplings' against brute force: the exact-OT pairing is the cheapest of all n! permutations, and the bridge's entropic plan tends to that permutation (and its cost to W2^2) as s -> 0.
import { describe, expect, it } from 'vitest';
import { sinkhorn } from '../../coupling/sinkhorn';
import { runComputation } from '../computation';
import { couplingsComputation } from './couplings';

const run = (params: Record<string, unknown>) => runComputation(couplingsComputation, params);

/** The least mean squared distance over every permutation (Heap's algorithm), and the permutation. */
function bruteForceOt(x: Float32Array, y: Float32Array, n: number): { cost: number; perm: number[] } {
  const c = (i: number, j: number) => (x[2 * i] - y[2 * j]) ** 2 + (x[2 * i + 1] - y[2 * j + 1]) ** 2;
  const perm = Array.from({ length: n }, (_, i) => i);
  let best = { cost: Infinity, perm: perm.slice() };
  const visit = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c(i, perm[i]);
    if (s < best.cost) best = { cost: s, perm: perm.slice() };
  };
  const counter = new Array<number>(n).fill(0);
  visit();
  for (let i = 1; i < n; ) {
    if (counter[i] < i) {
      const k = i % 2 === 0 ? 0 : counter[i];
      [perm[k], perm[i]] = [perm[i], perm[k]];
      visit();
      counter[i]++;
      i = 1;
    } else counter[i++] = 0;
  }
  return { cost: best.cost / n, perm: best.perm };
}

describe("lab computation 'couplings'", () => {
  it('pairs by exact OT at the least cost over all n! permutations, below the independent pairing', async () => {
    for (const seed of [0, 1, 2]) {
      const r = await run({ points: 8, seed, from: { id: 'eight-gaussians' }, to: { id: 'two-moons' } });
      const brute = bruteForceOt(r.from, r.to, 8);
      expect(r.cost.ot).toBeCloseTo(brute.cost, 10);
      expect(Array.from(r.ot)).toEqual(brute.perm);
      expect(r.cost.ot).toBeLessThan(r.cost.independent);
      expect([...r.bridge].every((j) => j >= 0 && j < 8)).toBe(true);
    }
  });

  it("tends to the OT permutation as s -> 0: the entropic plan's L1 distance to it and its cost's excess over W2^2 shrink to 0", async () => {
    const r = await run({ points: 7, seed: 4 });
    const n = 7;
    const brute = bruteForceOt(r.from, r.to, n);
    let previous = { l1: Infinity, excess: Infinity };
    for (const s of [2, 1, 0.5, 0.25, 0.1, 0.05]) {
      const plan = sinkhorn({ data: r.from, shape: [n, 2] }, { data: r.to, shape: [n, 2] }, { epsilon: 2 * s * s, tolerance: 1e-9, maxIterations: 100_000 });
      let l1 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) l1 += Math.abs(plan.plan[i * n + j] - (brute.perm[i] === j ? 1 / n : 0));
      const excess = plan.cost - brute.cost;
      expect(excess).toBeGreaterThan(-1e-6);
      expect(l1).toBeLessThan(previous.l1);
      expect(excess).toBeLessThan(previous.excess);
      previous = { l1, excess };
    }
    expect(previous.l1).toBeLessThan(1e-3);
    expect(previous.excess).toBeLessThan(1e-4);
    // and the drawn bridge partners follow: at s = 2 most differ from the OT partner, at s = 0.05 most agree (near ties
    // between close points of a cluster stay soft) and the drawn pairs cost little more than the OT pairs
    const wide = await run({ points: 64, seed: 4, s: 2 });
    const narrow = await run({ points: 64, seed: 4, s: 0.05 });
    console.log(`agreement with the OT partner: ${wide.agreement} at s = 2, ${narrow.agreement} at s = 0.05; drawn pair cost ${wide.cost.bridge.toFixed(3)}, ${narrow.cost.bridge.toFixed(3)}, OT ${narrow.cost.ot.toFixed(3)}`);
    expect(wide.agreement).toBeLessThan(0.2);
    expect(narrow.agreement).toBeGreaterThan(0.6);
    expect(narrow.cost.bridge - narrow.cost.ot).toBeLessThan(0.05 * narrow.cost.ot);
    expect(wide.cost.bridge - wide.cost.ot).toBeGreaterThan(0.5 * wide.cost.ot);
    expect(narrow.cost.bridgePlan).toBeLessThan(wide.cost.bridgePlan);
    expect(narrow.cost.bridgePlan - narrow.cost.ot).toBeLessThan(0.02 * narrow.cost.ot);
  });

  it('names an unknown set', async () => {
    await expect(run({ from: { id: 'no-such-set' } })).rejects.toThrow(/no-such-set/);
  });
});
