// Data sets: determinism per seed, shape, finiteness, the geometry each set promises, and parameter validation.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { DATASETS, DEFAULT_MIXTURE, datasetMixture, generateDataset, summarize } from './index';

const IDS = ['eight-gaussians', 'two-moons', 'circles', 'checkerboard', 'swiss-roll', 'pinwheel', 'spirals', 'gaussian-mixture'];

/** Rows of a [n, 2] buffer as pairs. */
function points(data: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < data.length; i += 2) out.push([data[i], data[i + 1]]);
  return out;
}

/** Binomial tolerance: 5 standard deviations of a count with probability p out of n. */
const binomialTol = (n: number, p: number): number => 5 * Math.sqrt(n * p * (1 - p));

describe('every data set', () => {
  it('is registered with UI metadata whose defaults lie in their ranges', () => {
    expect(DATASETS.map((d) => d.id)).toEqual(IDS);
    for (const d of DATASETS) {
      expect(d.label.length).toBeGreaterThan(0);
      expect(d.description.length).toBeGreaterThan(0);
      for (const p of d.params) {
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
        if (p.integer) expect(Number.isInteger(p.default)).toBe(true);
      }
    }
  });

  for (const id of IDS) {
    it(`${id}: right shape, finite, same for a seed, different for another`, () => {
      const a = generateDataset(id, { count: 500, seed: 4 });
      const b = generateDataset(id, { count: 500, seed: 4 });
      const c = generateDataset(id, { count: 500, seed: 5 });
      expect(a.shape).toEqual([500, 2]);
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(a.data.every(Number.isFinite)).toBe(true);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
      let differ = 0;
      for (let i = 0; i < a.data.length; i++) if (a.data[i] !== c.data[i]) differ++;
      expect(differ).toBeGreaterThan(a.data.length / 2);
    });
  }
});

describe('geometry', () => {
  it('eight-gaussians: eight equal clusters of std noise on the circle of radius 2', () => {
    const n = 8000;
    const x = points(generateDataset('eight-gaussians', { count: n, noise: 0.1, seed: 1 }).data);
    const counts = new Array<number>(8).fill(0);
    for (const [px, py] of x) {
      const k = ((Math.round(Math.atan2(py, px) / (Math.PI / 4)) % 8) + 8) % 8;
      const dx = px - 2 * Math.cos((k * Math.PI) / 4);
      const dy = py - 2 * Math.sin((k * Math.PI) / 4);
      // |offset|^2 / 0.01 is chi-square with 2 dof: above 6^2 with probability e^{-18}.
      expect(Math.hypot(dx, dy)).toBeLessThan(0.6);
      counts[k]++;
    }
    for (const c of counts) expect(Math.abs(c - n / 8)).toBeLessThan(binomialTol(n, 1 / 8));
  });

  it('eight-gaussians exposes its exact mixture (and none without noise)', () => {
    const m = datasetMixture('eight-gaussians', { noise: 0.2, radius: 3 });
    expect(m).not.toBeNull();
    expect(m?.weights).toEqual(new Array(8).fill(1 / 8));
    for (const mu of m?.means ?? []) expect(Math.hypot(mu[0], mu[1])).toBeCloseTo(3, 12);
    const S = m?.covariances[5] ?? [];
    expect([S[0][0], S[0][1], S[1][0], S[1][1]].map((v) => v.toFixed(12))).toEqual(['0.040000000000', '0.000000000000', '0.000000000000', '0.040000000000']);
    expect(datasetMixture('eight-gaussians', { noise: 0 })).toBeNull();
    expect(datasetMixture('two-moons')).toBeNull();
  });

  it('two-moons: without noise, half the points on each arc of radius 2', () => {
    const n = 2000;
    let upper = 0;
    for (const [x, y] of points(generateDataset('two-moons', { count: n, noise: 0, seed: 2 }).data)) {
      const onUpper = Math.abs(Math.hypot(x + 1, y + 0.5) - 2) < 1e-5 && y >= -0.5 - 1e-6;
      const onLower = Math.abs(Math.hypot(x - 1, y - 0.5) - 2) < 1e-5 && y <= 0.5 + 1e-6;
      expect(onUpper || onLower).toBe(true);
      if (onUpper) upper++;
    }
    expect(Math.abs(upper - n / 2)).toBeLessThan(binomialTol(n, 0.5));
  });

  it('circles: without noise, every point at radius 2 or 2 factor, half on each', () => {
    const n = 1000;
    let outer = 0;
    for (const [x, y] of points(generateDataset('circles', { count: n, noise: 0, factor: 0.3, seed: 3 }).data)) {
      const r = Math.hypot(x, y);
      expect(Math.min(Math.abs(r - 2), Math.abs(r - 0.6))).toBeLessThan(1e-5);
      if (r > 1.3) outer++;
    }
    expect(outer).toBe(n / 2);
  });

  it('checkerboard: without noise, points fill exactly the dark cells of [-2, 2]^2', () => {
    const cells = 4;
    const seen = new Set<number>();
    for (const [x, y] of points(generateDataset('checkerboard', { count: 4000, noise: 0, cells, seed: 4 }).data)) {
      expect(Math.abs(x)).toBeLessThanOrEqual(2);
      expect(Math.abs(y)).toBeLessThanOrEqual(2);
      const i = Math.floor(x + 2);
      const j = Math.floor(y + 2);
      expect((i + j) % 2).toBe(0);
      seen.add(i * cells + j);
    }
    expect(seen.size).toBe(8);
  });

  it('swiss-roll: without noise, (x, y) = (a cos a, a sin a) / 5 with a = 5 r in [1.5 pi, 4.5 pi]', () => {
    for (const [x, y] of points(generateDataset('swiss-roll', { count: 1000, noise: 0, seed: 5 }).data)) {
      const a = 5 * Math.hypot(x, y);
      expect(a).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-4);
      expect(a).toBeLessThanOrEqual(4.5 * Math.PI + 1e-4);
      expect(x).toBeCloseTo((a * Math.cos(a)) / 5, 4);
      expect(y).toBeCloseTo((a * Math.sin(a)) / 5, 4);
    }
  });

  it('pinwheel: without twist, every point lies along one of the arms and every arm is used', () => {
    const arms = 6;
    const used = new Set<number>();
    const data = generateDataset('pinwheel', { count: 3000, noise: 0, arms, rate: 0, tangentialStd: 0.01, radialStd: 0.1, seed: 6 }).data;
    for (const [x, y] of points(data)) {
      const k = ((Math.round(Math.atan2(y, x) / ((2 * Math.PI) / arms)) % arms) + arms) % arms;
      // The offset across an arm is N(0, 0.01^2) at radius about 1: under 0.06 rad except with probability ~2e-9.
      const off = Math.atan2(y, x) - (2 * Math.PI * k) / arms;
      expect(Math.abs(Math.atan2(Math.sin(off), Math.cos(off)))).toBeLessThan(0.06);
      used.add(k);
    }
    expect(used.size).toBe(arms);
  });

  it('spirals: without noise, each point is +-(-a cos a, a sin a) / 3 with a = 3 r', () => {
    let plus = 0;
    const n = 1000;
    for (const [x, y] of points(generateDataset('spirals', { count: n, noise: 0, seed: 7 }).data)) {
      const a = 3 * Math.hypot(x, y);
      expect(a).toBeLessThanOrEqual(3 * Math.PI + 1e-4);
      const ex = (-Math.cos(a) * a) / 3;
      const ey = (Math.sin(a) * a) / 3;
      const isPlus = Math.hypot(x - ex, y - ey) < 1e-4;
      expect(isPlus || Math.hypot(x + ex, y + ey) < 1e-4).toBe(true);
      if (isPlus) plus++;
    }
    expect(plus).toBe(n / 2);
  });

  it('gaussian-mixture: the default mixture has the mixture mean; a spec is honoured and its mixture includes the noise', () => {
    const n = 20000;
    const m = DEFAULT_MIXTURE;
    const mean = [0, 1].map((j) => m.weights.reduce((s, w, k) => s + w * m.means[k][j], 0));
    const stats = summarize(generateDataset('gaussian-mixture', { count: n, seed: 8 }));
    // Each coordinate's std is below 1.5, so 5 standard errors of the mean are under 5 * 1.5 / sqrt(n).
    for (let j = 0; j < 2; j++) expect(Math.abs(stats.mean[j] - mean[j])).toBeLessThan((5 * 1.5) / Math.sqrt(n));
    const one = { weights: [1], means: [[5, -3]], covariances: [[[0.04, 0], [0, 0.01]]] };
    const s1 = summarize(generateDataset('gaussian-mixture', { count: n, mixture: one, noise: 0.3, seed: 9 }));
    expect(Math.abs(s1.mean[0] - 5)).toBeLessThan(5 * Math.sqrt(0.13 / n));
    // Var(sample var) = 2 v^2 / n for a Gaussian: 5 of those standard errors.
    expect(Math.abs(s1.std[1] ** 2 - 0.1)).toBeLessThan(5 * 0.1 * Math.sqrt(2 / n));
    expect(datasetMixture('gaussian-mixture', { mixture: one, noise: 0.3 })?.covariances[0]).toEqual([[0.04 + 0.09, 0], [0, 0.01 + 0.09]]);
  });
});

describe('bad parameters', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['circles', { count: 0 }, 'count'],
    ['circles', { count: 2.5 }, 'count'],
    ['circles', { count: 2_000_000 }, 'count'],
    ['two-moons', { noise: -0.1 }, 'noise'],
    ['two-moons', { noise: Number.NaN }, 'noise'],
    ['two-moons', { noise: Infinity }, 'noise'],
    ['spirals', { seed: 1.5 }, 'seed'],
    ['spirals', { seed: -1 }, 'seed'],
    ['circles', { factor: 1.5 }, 'factor'],
    ['checkerboard', { cells: 3.5 }, 'cells'],
    ['eight-gaussians', { radisu: 2 }, 'radisu'],
    ['gaussian-mixture', { mixture: { weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, -1]]] } }, 'mixture'],
    ['gaussian-mixture', { mixture: { weights: [1], means: [[0, 0, 0]], covariances: [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]] } }, 'mixture'],
  ];
  for (const [id, params, name] of cases) {
    it(`${id} ${JSON.stringify(params)} throws naming '${name}'`, () => {
      let caught: unknown = null;
      try {
        generateDataset(id, params);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StudioError);
      expect((caught as StudioError).code).toBe('invalid-argument');
      expect((caught as StudioError).message).toContain(name);
    });
  }

  it('an unknown data set throws unknown-name', () => {
    expect(() => generateDataset('moons')).toThrow(expect.objectContaining({ code: 'unknown-name' }));
  });
});

describe('summarize', () => {
  it('gives per-dimension mean, population std, min and max', () => {
    const s = summarize(batch(new Float32Array([1, 2, 3, 6, 5, 10]), [3, 2]));
    expect(s.count).toBe(3);
    expect(s.mean).toEqual([3, 6]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(32 / 3), 12);
    expect(s.min).toEqual([1, 2]);
    expect(s.max).toEqual([5, 10]);
  });
});
