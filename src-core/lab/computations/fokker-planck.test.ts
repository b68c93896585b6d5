// 'fokkerPlanck' against closed forms: mass kept at every snapshot, the finite-volume density on the exact one, particles off it by sampling noise alone,
// the OU stationary law reached, and the solver's error falling at second order as the grid refines.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../computation';
import { fokkerPlanckComputation } from './fokker-planck';

const mixture = { weights: [0.5, 0.3, 0.2], means: [[-1.5, 0], [1.5, 1], [1, -1.5]], covariances: [[[0.25, 0], [0, 0.25]], [[0.2, 0], [0, 0.2]], [[0.16, 0], [0, 0.16]]] };
const run = (params: Record<string, unknown>) => runComputation(fokkerPlanckComputation, { mixture, ...params });

/** Mean of a typed array. */
const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;

describe("lab computation 'fokkerPlanck'", () => {
  it('1-D OU: mass to rounding, the FP density within 1e-2 of the exact one, particles off it by sampling noise alone', async () => {
    const r = await run({ dim: 1, sde: { kind: 'ou', theta: 1.2, sigma: 0.9 }, tEnd: 1.5, cells: 200, particles: 20_000, particleSteps: 40, snapshots: 11, seed: 2 });
    expect(r.times).toHaveLength(11);
    expect(r.fp).toHaveLength(11 * 200);
    for (let k = 0; k < 11; k++) {
      expect(Math.abs(r.massError[k])).toBeLessThan(1e-12);
      expect(r.l1.fpExact[k]).toBeLessThan(1e-2);
    }
    // the histogram's L1 distance to the exact density is what Poisson noise alone gives (E-M's bias at dt = 0.004 is far below it)
    const ratio = mean(r.l1.particlesExact.subarray(1)) / mean(r.l1.samplingFloor.subarray(1));
    console.log(`1-D OU: L1(FP, exact) max ${Math.max(...r.l1.fpExact).toExponential(2)}; L1(particles, exact) / sampling floor ${ratio.toFixed(3)}`);
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
  });

  it("2-D vp-linear: mass to rounding, FP on the exact density, the grid's cells square", async () => {
    const r = await run({ dim: 2, sde: { kind: 'schedule', schedule: { name: 'vp-linear' } }, tEnd: 1, cells: 72, particles: 20_000, particleSteps: 50, snapshots: 6, seed: 3 });
    expect(r.cells).toEqual([72, 72]);
    expect(r.hi[0] - r.lo[0]).toBeCloseTo(r.hi[1] - r.lo[1], 12);
    for (let k = 0; k < 6; k++) {
      expect(Math.abs(r.massError[k])).toBeLessThan(1e-12);
      expect(r.l1.fpExact[k]).toBeLessThan(0.03);
    }
    const ratio = mean(r.l1.particlesExact.subarray(1)) / mean(r.l1.samplingFloor.subarray(1));
    console.log(`2-D vp-linear: L1(FP, exact) ${Array.from(r.l1.fpExact, (v) => v.toExponential(1)).join(' ')}; particles / floor ${ratio.toFixed(3)}; ${r.steps} steps`);
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
  });

  it('reaches the OU stationary density N(0, sigma^2 / (2 theta)) and carries the linear schedule to N(0, 1)', async () => {
    const ou = await run({ dim: 1, sde: { kind: 'ou', theta: 2, sigma: 1 }, tEnd: 6, cells: 240, particles: 1000, snapshots: 4 });
    const xs = Float64Array.from({ length: 240 }, (_, i) => ou.lo[0] + ((i + 0.5) * (ou.hi[0] - ou.lo[0])) / 240);
    const h = (ou.hi[0] - ou.lo[0]) / 240;
    const std = 1 / 2;
    let l1 = 0;
    for (let i = 0; i < 240; i++) l1 += Math.abs(ou.fp[3 * 240 + i] - Math.exp(-0.5 * (xs[i] / std) ** 2) / (std * Math.sqrt(2 * Math.PI))) * h;
    expect(l1).toBeLessThan(5e-3);
    // 'linear' stops at t = 0.999 where the path is 0.001 x0 + 0.999 eps: within 1e-2 of N(0, 1) in L1
    const lin = await run({ dim: 1, sde: { kind: 'schedule', schedule: { name: 'linear' } }, cells: 300, particles: 1000, snapshots: 5 });
    expect(lin.times[4]).toBeCloseTo(0.999, 12);
    expect(lin.l1.fpExact[4]).toBeLessThan(1e-2);
  });

  it('its finite-volume error falls at second order in the cell width (vp-cosine, 1-D)', async () => {
    const ns = [50, 100, 200, 400];
    const errors: number[] = [];
    for (const cells of ns) {
      const r = await run({ dim: 1, sde: { kind: 'schedule', schedule: { name: 'vp-cosine' } }, tEnd: 0.8, cells, particles: 100, snapshots: 2 });
      errors.push(r.l1.fpExact[1]);
    }
    const order = Math.log(errors[0] / errors[3]) / Math.log(ns[3] / ns[0]);
    console.log(`vp-cosine 1-D: L1(FP, exact) ${errors.map((e) => e.toExponential(2)).join(', ')} at ${ns.join(', ')} cells: order ${order.toFixed(2)}`);
    expect(order).toBeGreaterThan(1.8);
  });

  it('refuses a 2-D grid finer than it can step in reasonable time, naming the field', async () => {
    await expect(run({ dim: 2, cells: 400 })).rejects.toMatchObject({ code: 'invalid-argument', details: [{ path: ['cells'] }] });
  });
});
