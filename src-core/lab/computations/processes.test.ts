// 'processes' against the closed-form marginals of Brownian motion and OU: the exact law it reports, its histograms, and KS evidence that accepts exact paths and flags a too-coarse Euler–Maruyama.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../computation';
import { processesComputation } from './processes';

const run = (params: Record<string, unknown>) => runComputation(processesComputation, params);

describe("lab computation 'processes'", () => {
  it('reports the exact OU marginal N(x0 e^{-theta t}, sigma^2 (1 - e^{-2 theta t}) / (2 theta)) and Brownian N(x0, sigma^2 t)', async () => {
    const ou = await run({ process: 'ou', theta: 1.7, sigma: 0.8, x0: 2.5, tEnd: 2, steps: 40, paths: 50 });
    const brown = await run({ process: 'brownian', theta: 9, sigma: 1.3, x0: -1, tEnd: 2, steps: 40, paths: 50 });
    for (const k of [0, 7, 40]) {
      const t = ou.times[k];
      expect(ou.mean[k]).toBeCloseTo(2.5 * Math.exp(-1.7 * t), 12);
      expect(ou.std[k]).toBeCloseTo(Math.sqrt((0.64 * (1 - Math.exp(-3.4 * t))) / 3.4), 12);
      expect(brown.mean[k]).toBeCloseTo(-1, 12);
      expect(brown.std[k]).toBeCloseTo(1.3 * Math.sqrt(t), 12);
    }
  });

  it('histograms integrate to the share of paths inside their range, and the paths start at x0', async () => {
    const r = await run({ process: 'ou', theta: 1, sigma: 1, x0: 2, tEnd: 1, steps: 20, paths: 3000, bins: 50 });
    const width = (r.histogram.hi - r.histogram.lo) / 50;
    for (const k of [0, 10, 20]) {
      let mass = 0;
      for (let b = 0; b < 50; b++) mass += r.histogram.density[k * 50 + b] * width;
      let inside = 0;
      for (let i = 0; i < 3000; i++) {
        const x = r.paths[k * 3000 + i];
        if (x >= r.histogram.lo && x < r.histogram.hi) inside++;
      }
      expect(mass).toBeCloseTo(inside / 3000, 5);
      expect(mass).toBeGreaterThan(0.99);
    }
    expect(Array.from(r.paths.subarray(0, 3000)).every((x) => x === 2)).toBe(true);
    expect(r.ks[0]).toBe(0);
  });

  it('exact transitions pass the KS check at about the 5% rate; a coarse Euler–Maruyama grid fails it', async () => {
    // theta dt = 0.5: Euler's factor 0.5 against e^{-0.5} = 0.61, and its stationary variance 1/3 against 1/4
    const common = { process: 'ou', theta: 2, sigma: 1, x0: 3, tEnd: 4, steps: 16, paths: 8000, seed: 5 };
    const exact = await run({ ...common, method: 'exact' });
    const euler = await run({ ...common, method: 'euler-maruyama' });
    expect(exact.rejectedShare).toBeLessThan(0.25);
    expect(Math.max(...exact.ks.subarray(1))).toBeLessThan(2 * exact.ksCritical);
    expect(euler.rejectedShare).toBeGreaterThan(0.9);
    expect(euler.pValue[16]).toBeLessThan(1e-6);
    expect(exact.ksCritical).toBeCloseTo(1.3581 / Math.sqrt(8000), 3);
  });

  it('refuses more stored values than a reply may carry, naming the field', async () => {
    await expect(run({ paths: 10_000, steps: 5000 })).rejects.toMatchObject({ code: 'invalid-argument', details: [{ path: ['paths'] }] });
  });
});
