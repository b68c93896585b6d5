// Augmenting row reduction keeps every assigned row on a cheapest column under c - v and never assigns a column twice.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { augmentingRowReduction } from './row-reduction';

/** Checks the invariant the exact solver's searches start from; returns the number of assigned rows. */
function expectInvariant(c: Float64Array, n: number, v: Float64Array, col4row: Int32Array, row4col: Int32Array): number {
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const j = col4row[i];
    if (j === -1) continue;
    assigned++;
    expect(row4col[j]).toBe(i);
    const own = c[i * n + j] - v[j];
    let best = Infinity;
    for (let k = 0; k < n; k++) best = Math.min(best, c[i * n + k] - v[k]);
    // the assigned column is a cheapest one, up to the rounding of one subtraction
    expect(own - best).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(best)));
  }
  for (let j = 0; j < n; j++) if (row4col[j] !== -1) expect(col4row[row4col[j]]).toBe(j);
  return assigned;
}

describe('augmentingRowReduction', () => {
  const makers: Record<string, (rng: Rng, n: number) => Float64Array> = {
    uniform: (rng, n) => Float64Array.from({ length: n * n }, () => rng.uniform() * 10),
    'small integers (ties)': (rng, n) => Float64Array.from({ length: n * n }, () => rng.int(3)),
    constant: (_rng, n) => new Float64Array(n * n).fill(1),
    'squared distances': (rng, n) => {
      const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
      const y = Array.from({ length: n }, () => [2 + 3 * rng.normal(), rng.normal()]);
      return Float64Array.from({ length: n * n }, (_, k) => {
        const a = x[Math.floor(k / n)];
        const b = y[k % n];
        return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
      });
    },
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`keeps assigned rows on a cheapest column and places rows: ${name}`, () => {
      for (let s = 0; s < 20; s++) {
        const rng = new Rng(40 + s);
        const n = 2 + rng.int(60);
        const c = make(rng, n);
        const v = Float64Array.from({ length: n }, () => (s % 2 ? rng.normal() : 0));
        const col4row = new Int32Array(n).fill(-1);
        const row4col = new Int32Array(n).fill(-1);
        const free = Int32Array.from({ length: n }, (_, i) => i);
        let nFree = n;
        for (let pass = 0; pass < 2 && nFree > 0; pass++) {
          nFree = augmentingRowReduction({ c, n, v, col4row, row4col }, free, nFree, 4 * n);
          const assigned = expectInvariant(c, n, v, col4row, row4col);
          expect(assigned + nFree).toBe(n);
          // the rows reported free are exactly the unassigned ones
          expect(new Set(free.subarray(0, nFree))).toEqual(new Set([...col4row.keys()].filter((i) => col4row[i] === -1)));
        }
        if (name === 'uniform') expect(nFree).toBeLessThan(n / 2);
      }
    });
  }

  it('stops after maxSteps rows and reports the rest free', () => {
    const n = 30;
    const rng = new Rng(3);
    const c = Float64Array.from({ length: n * n }, () => rng.uniform());
    const v = new Float64Array(n);
    const col4row = new Int32Array(n).fill(-1);
    const row4col = new Int32Array(n).fill(-1);
    const free = Int32Array.from({ length: n }, (_, i) => i);
    const left = augmentingRowReduction({ c, n, v, col4row, row4col }, free, n, 5);
    expect(expectInvariant(c, n, v, col4row, row4col) + left).toBe(n);
    expect(left).toBeGreaterThanOrEqual(n - 5);
  });
});
