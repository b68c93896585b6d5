// Exact assignment against brute force over all permutations, ties and degenerate costs included.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { assignSquaredEuclidean, solveAssignment } from './assignment';
import { squaredDistances } from './cost';
import { squaredDistancesScratch } from './cost-scratch';

/** Minimum of sum_i c[i, p(i)] over injective p: rows -> cols, by enumeration. */
function bruteForce(c: Float64Array, nr: number, nc: number): number {
  const used = new Uint8Array(nc);
  let best = Infinity;
  const rec = (i: number, acc: number): void => {
    if (i === nr) {
      if (acc < best) best = acc;
      return;
    }
    for (let j = 0; j < nc; j++) {
      if (used[j]) continue;
      used[j] = 1;
      rec(i + 1, acc + c[i * nc + j]);
      used[j] = 0;
    }
  };
  rec(0, 0);
  return best;
}

function expectValid(perm: Int32Array, nr: number, nc: number, c: Float64Array, cost: number): void {
  expect(perm.length).toBe(nr);
  const seen = new Set<number>();
  let sum = 0;
  for (let i = 0; i < nr; i++) {
    expect(perm[i]).toBeGreaterThanOrEqual(0);
    expect(perm[i]).toBeLessThan(nc);
    seen.add(perm[i]);
    sum += c[i * nc + perm[i]];
  }
  expect(seen.size).toBe(nr);
  expect(cost).toBeCloseTo(sum, 9);
}

type Maker = (rng: Rng, nr: number, nc: number) => Float64Array;
const makers: Record<string, Maker> = {
  uniform: (rng, nr, nc) => Float64Array.from({ length: nr * nc }, () => rng.uniform() * 10 - 3),
  'small integers (many ties)': (rng, nr, nc) => Float64Array.from({ length: nr * nc }, () => rng.int(3)),
  constant: (_rng, nr, nc) => new Float64Array(nr * nc).fill(2.5),
  'a_i + b_j (every assignment optimal)': (rng, nr, nc) => {
    const a = Array.from({ length: nr }, () => rng.normal());
    const b = Array.from({ length: nc }, () => rng.normal());
    return Float64Array.from({ length: nr * nc }, (_, k) => a[Math.floor(k / nc)] + b[k % nc]);
  },
  'repeated rows and columns': (rng, nr, nc) => {
    const base = Float64Array.from({ length: 4 }, () => rng.int(4));
    return Float64Array.from({ length: nr * nc }, (_, k) => base[(Math.floor(k / nc) % 2) * 2 + ((k % nc) % 2)]);
  },
  'one cheap column': (rng, nr, nc) => Float64Array.from({ length: nr * nc }, (_, k) => (k % nc === 0 ? -5 : 1 + rng.int(2))),
};

describe('solveAssignment', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`matches brute force on square problems: ${name}`, () => {
      for (let n = 1; n <= 7; n++) {
        const seeds = n <= 5 ? 25 : 8;
        for (let s = 0; s < seeds; s++) {
          const c = make(new Rng(100 * n + s), n, n);
          const { perm, cost } = solveAssignment(c, n);
          expectValid(perm, n, n, c, cost);
          expect(cost).toBeCloseTo(bruteForce(c, n, n), 9);
        }
      }
    });
  }

  it('matches brute force when there are more columns than rows', () => {
    for (const [nr, nc] of [[1, 4], [2, 5], [3, 6], [4, 7], [5, 6]]) {
      for (let s = 0; s < 10; s++) {
        const rng = new Rng(7 * nr + nc * 1000 + s);
        const c = s % 2 ? makers.uniform(rng, nr, nc) : makers['small integers (many ties)'](rng, nr, nc);
        const { perm, cost } = solveAssignment(c, nr, nc);
        expectValid(perm, nr, nc, c, cost);
        expect(cost).toBeCloseTo(bruteForce(c, nr, nc), 9);
      }
    }
  });

  it('agrees on larger tie-heavy problems with the plain search (no column reduction) run on a padded matrix', () => {
    for (let s = 0; s < 4; s++) {
      const rng = new Rng(900 + s);
      const n = 150;
      const c = s % 2 ? makers['small integers (many ties)'](rng, n, n) : makers.uniform(rng, n, n);
      // An extra column too expensive to use keeps the optimum but takes the rectangular path.
      const padded = new Float64Array(n * (n + 1));
      for (let i = 0; i < n; i++) {
        padded.set(c.subarray(i * n, i * n + n), i * (n + 1));
        padded[i * (n + 1) + n] = 1e6;
      }
      const square = solveAssignment(c, n);
      const rect = solveAssignment(padded, n, n + 1);
      expectValid(square.perm, n, n, c, square.cost);
      expect(square.cost).toBeCloseTo(rect.cost, 8);
    }
  });

  it('accepts float32 costs', () => {
    const c = Float32Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    expect(solveAssignment(c, 3).cost).toBe(5);
  });

  it('rejects bad input', () => {
    expect(() => solveAssignment(new Float64Array(5), 2)).toThrow(StudioError);
    expect(() => solveAssignment(Float64Array.from([0, NaN, 1, 2]), 2)).toThrow(/cost\[1\]/);
    expect(() => solveAssignment(new Float64Array(6), 3, 2)).toThrow(/nRows <= nCols/);
    expect(() => solveAssignment(new Float64Array(0), 0)).toThrow(StudioError);
  });
});

describe('assignSquaredEuclidean', () => {
  it('pairs sorted order with sorted order in one dimension (monotone matching is optimal)', () => {
    const rng = new Rng(5);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from({ length: n }, () => 2 * rng.normal() + 1);
    const { perm, cost } = assignSquaredEuclidean(batch(x, [n, 1]), batch(y, [n, 1]));
    const xs = [...x].sort((a, b) => a - b);
    const ys = [...y].sort((a, b) => a - b);
    const sorted = xs.reduce((acc, xi, k) => acc + (xi - ys[k]) ** 2, 0);
    expect(cost).toBeCloseTo(sorted, 8);
    // The rank of x_i must equal the rank of its partner.
    const rank = (a: Float64Array) => {
      const idx = [...a.keys()].sort((p, q) => a[p] - a[q]);
      const r = new Int32Array(a.length);
      idx.forEach((v, k) => (r[v] = k));
      return r;
    };
    const rx = rank(x);
    const ry = rank(y);
    for (let i = 0; i < n; i++) expect(ry[perm[i]]).toBe(rx[i]);
  });

  it('recovers a hidden permutation of well-separated points', () => {
    const rng = new Rng(11);
    const n = 200;
    const d = 8;
    const x = rng.fillNormal(new Float32Array(n * d));
    const hidden = rng.permutation(n);
    const y = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) y[hidden[i] * d + k] = x[i * d + k] + 1e-3 * rng.normal();
    const { perm } = assignSquaredEuclidean(batch(x, [n, d]), batch(y, [n, d]));
    for (let i = 0; i < n; i++) expect(perm[i]).toBe(hidden[i]);
  });

  /** The optimum by the plain search alone (no auction, no row reduction): a padded column keeps it rectangular. */
  function plainOptimum(c: Float64Array, n: number): number {
    const padded = new Float64Array(n * (n + 1));
    let top = 0;
    for (let k = 0; k < c.length; k++) top = Math.max(top, c[k]);
    for (let i = 0; i < n; i++) {
      padded.set(c.subarray(i * n, i * n + n), i * (n + 1));
      padded[i * (n + 1) + n] = 10 * (top + 1) * n;
    }
    return solveAssignment(padded, n, n + 1).cost;
  }

  type Cloud = (rng: Rng, n: number, d: number) => Float64Array;
  const normal: Cloud = (rng, n, d) => Float64Array.from({ length: n * d }, () => rng.normal());
  const adversarial: Record<string, { d: number; x: Cloud; y: Cloud }> = {
    '2-D, shifted and scaled target': { d: 2, x: normal, y: (rng, n, d) => normal(rng, n, d).map((v) => 2 + 3 * v) },
    '32-D, shifted and scaled target': { d: 32, x: normal, y: (rng, n, d) => normal(rng, n, d).map((v) => 2 + 3 * v) },
    'duplicated points (each four times)': {
      d: 2,
      x: (rng, n, d) => {
        const base = normal(rng, n / 4, d);
        return Float64Array.from({ length: n * d }, (_, k) => base[k % base.length]);
      },
      y: (rng, n, d) => {
        const base = normal(rng, n / 4, d);
        return Float64Array.from({ length: n * d }, (_, k) => base[k % base.length]);
      },
    },
    'all points equal (every cost the same)': { d: 2, x: (_r, n, d) => new Float64Array(n * d).fill(1.5), y: (_r, n, d) => new Float64Array(n * d).fill(-0.5) },
    'integer grid (many equal distances)': {
      d: 2,
      x: (rng, n, d) => Float64Array.from({ length: n * d }, () => rng.int(6)),
      y: (rng, n, d) => Float64Array.from({ length: n * d }, () => rng.int(6)),
    },
    'points on a line in 2-D': {
      d: 2,
      x: (rng, n) => Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 0 : rng.normal())),
      y: (rng, n) => Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 0 : 1 + 2 * rng.normal())),
    },
    'large offset (1e6)': { d: 2, x: (rng, n, d) => normal(rng, n, d).map((v) => 1e6 + v), y: (rng, n, d) => normal(rng, n, d).map((v) => 1e6 + 0.5 + 2 * v) },
  };
  for (const [name, { d, x, y }] of Object.entries(adversarial)) {
    it(`matches the plain search at batch 256: ${name}`, () => {
      for (let s = 0; s < 3; s++) {
        const rng = new Rng(300 + s);
        const n = 256;
        const a = batch(x(rng, n, d), [n, d]);
        const b = batch(y(rng, n, d), [n, d]);
        const { perm, cost } = assignSquaredEuclidean(a, b);
        const c = squaredDistances(a, b);
        expectValid(perm, n, n, c, cost);
        const reference = plainOptimum(c, n);
        expect(Math.abs(cost - reference)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(reference)));
      }
    });
  }

  it('pairs sorted order in one dimension with ties and duplicates, at the optimum cost', () => {
    const rng = new Rng(8);
    const n = 120;
    const x = Float64Array.from({ length: n }, () => rng.int(10));
    const y = Float64Array.from({ length: n }, () => rng.int(4) * 2.5);
    const { perm, cost } = assignSquaredEuclidean(batch(x, [n, 1]), batch(y, [n, 1]));
    const c = squaredDistances(batch(x, [n, 1]), batch(y, [n, 1]));
    expectValid(perm, n, n, c, cost);
    expect(cost).toBeCloseTo(plainOptimum(c, n), 9);
  });

  it('solves problems of different sizes one after another (the reused cost buffer) as fresh ones', () => {
    const rng = new Rng(21);
    for (const [n, d] of [[256, 2], [40, 3], [300, 2], [7, 2], [256, 5]]) {
      const a = batch(normal(rng, n, d), [n, d]);
      const b = batch(normal(rng, n, d).map((v) => v + 1), [n, d]);
      const { perm, cost } = assignSquaredEuclidean(a, b);
      const c = squaredDistances(a, b);
      expectValid(perm, n, n, c, cost);
      expect(cost).toBeCloseTo(solveAssignment(c, n).cost, 9);
    }
  });

  it('writes the same squared distances into its buffer as squaredDistances, in 2-D and otherwise', () => {
    const rng = new Rng(4);
    // 513 x 513 is past the kept buffer's size, so it takes the allocating branch
    for (const [n, m, d] of [[5, 5, 2], [6, 3, 2], [4, 4, 3], [513, 513, 2], [30, 20, 7], [20, 30, 32], [9, 9, 4]]) {
      const a = batch(Float32Array.from(normal(rng, n, d)), [n, d]);
      const b = batch(Float32Array.from(normal(rng, m, d)), [m, d]);
      const fast = squaredDistancesScratch(a, b, n, m, d);
      const plain = squaredDistances(a, b);
      expect(fast.length).toBe(plain.length);
      let differing = 0;
      for (let k = 0; k < plain.length; k++) if (fast[k] !== plain[k]) differing++;
      expect(differing).toBe(0);
    }
  });

  it('rejects unequal sizes, dimension mismatch and NaN', () => {
    const a = batch(new Float32Array(6), [3, 2]);
    expect(() => assignSquaredEuclidean(a, batch(new Float32Array(4), [2, 2]))).toThrow(/equal batch sizes/);
    expect(() => assignSquaredEuclidean(a, batch(new Float32Array(9), [3, 3]))).toThrow(/dimension mismatch/);
    expect(() => assignSquaredEuclidean(a, batch(Float32Array.from([0, 0, 0, NaN, 0, 0]), [3, 2]))).toThrow(/target\[3\]/);
  });
});
