// Convergence orders of the ODE samplers against the oracle: exact Gaussian flow map and a fine RK4 reference on a mixture.
import { describe, expect, it } from 'vitest';
import { createOracle, gaussianFlowMap, type Oracle } from '../oracle';
import { createSchedule } from '../schedules';
import { sample } from './index';
import { MU, maxAbsDiff, mixtureOracle, normalBatch, observedOrder } from '../../test/support/sampling-fixtures';

/** Errors of a sampler at several step counts against a reference final state. */
async function errors(name: string, model: Oracle, x1: Parameters<typeof sample>[2], ref: Float64Array, steps: number[], grid: string, tMin: number) {
  const out: number[] = [];
  for (const n of steps) {
    const r = await sample(name, model, x1, { grid: { name: grid, steps: n, tMin } });
    out.push(maxAbsDiff(r.x.data, ref));
  }
  return out;
}

// Step ranges sit past the pre-asymptotic start and above float64 rounding (smallest RK4 error ~1e-10).
const RANGES: Record<string, [number, number[]]> = {
  euler: [1, [256, 512, 1024, 2048]],
  heun: [2, [32, 64, 128, 256]],
  rk4: [4, [32, 64, 128, 256]],
};
// The mixture's field bends more near its components: Heun and RK4 reach their asymptotic slope later.
const MIXTURE_RANGES: Record<string, [number, number[]]> = {
  euler: [1, [256, 512, 1024, 2048]],
  heun: [2, [64, 128, 256, 512]],
  rk4: [4, [64, 128, 256, 512]],
};

describe('orders on one Gaussian against the exact flow map', () => {
  // s = 0.2 on 'linear': with s = 0.5 the leading RK4 error term nearly cancels and the observed order exceeds 5.
  for (const [schedule, s] of [['linear', 0.2], ['vp-linear', 0.5]] as const) {
    const model = createOracle({ weights: [1], means: [MU], covariances: [[[s * s, 0], [0, s * s]]] }, createSchedule({ name: schedule }));
    const z = normalBatch(16, 2, 1);
    const tEnd = 0.05;
    const x1 = gaussianFlowMap(MU, s, model.schedule, 1, z);
    const ref = gaussianFlowMap(MU, s, model.schedule, tEnd, z).data;
    for (const [name, [order, steps]] of Object.entries(RANGES)) {
      it(`${name} on ${schedule} has order ${order}`, async () => {
        const observed = observedOrder(steps, await errors(name, model, x1, ref, steps, 'uniform', tEnd));
        console.info(`order: ${name}, ${schedule}, one Gaussian: ${observed.toFixed(3)}`);
        expect(Math.abs(observed - order)).toBeLessThan(0.15);
      });
    }
  }
});

describe('orders on a three-component mixture against a fine RK4 reference', () => {
  for (const schedule of ['linear', 'vp-linear']) {
    const model = mixtureOracle(schedule);
    const x1 = normalBatch(16, 2, 2);
    const tEnd = 0.05;
    for (const [name, [order, steps]] of Object.entries(MIXTURE_RANGES)) {
      it(`${name} on ${schedule} has order ${order}`, async () => {
        const ref = (await sample('rk4', model, x1, { grid: { name: 'uniform', steps: 2048, tMin: tEnd } })).x.data;
        const observed = observedOrder(steps, await errors(name, model, x1, ref, steps, 'uniform', tEnd));
        console.info(`order: ${name}, ${schedule}, mixture: ${observed.toFixed(3)}`);
        expect(Math.abs(observed - order)).toBeLessThan(0.15);
      });
    }
  }
});

describe('exponential integrators on a uniform log-SNR grid (vp-linear)', () => {
  const tEnd = 1e-3;
  it('DPM-Solver++(2M) has order 2 and beats Euler at equal NFE on one Gaussian and on the mixture', async () => {
    const s = 0.5;
    const model = createOracle({ weights: [1], means: [MU], covariances: [[[s * s, 0], [0, s * s]]] }, createSchedule({ name: 'vp-linear' }));
    const z = normalBatch(16, 2, 1);
    const x1 = gaussianFlowMap(MU, s, model.schedule, 1, z);
    const ref = gaussianFlowMap(MU, s, model.schedule, tEnd, z).data;
    const steps = [32, 64, 128, 256];
    const dpm = await errors('dpmpp-2m', model, x1, ref, steps, 'log-snr', tEnd);
    const eul = await errors('euler', model, x1, ref, steps, 'log-snr', tEnd);
    console.info(`order: dpmpp-2m, vp-linear log-SNR grid, one Gaussian: ${observedOrder(steps, dpm).toFixed(3)}`);
    expect(Math.abs(observedOrder(steps, dpm) - 2)).toBeLessThan(0.15);
    dpm.forEach((e, i) => expect(e).toBeLessThan(eul[i]));

    const mix = mixtureOracle('vp-linear');
    const xm = normalBatch(16, 2, 2);
    const fine = (await sample('rk4', mix, xm, { grid: { name: 'log-snr', steps: 4096, tMin: tEnd } })).x.data;
    // At 16 steps (lambda steps of ~1.2) the mixture's Euler error is still the smaller one; from 32 on 2M wins.
    const few = [32, 64, 128];
    const dpmMix = await errors('dpmpp-2m', mix, xm, fine, few, 'log-snr', tEnd);
    const eulMix = await errors('euler', mix, xm, fine, few, 'log-snr', tEnd);
    dpmMix.forEach((e, i) => expect(e).toBeLessThan(eulMix[i]));
  });

  it('DDIM converges with order 1 and beats Euler at equal NFE where the data is narrower than the noise it starts from', async () => {
    // DDIM freezes x0_hat over a step, exact for a point mass; on s = 0.5 data Euler is the better first-order method here.
    const s = 0.02;
    const model = createOracle({ weights: [1], means: [MU], covariances: [[[s * s, 0], [0, s * s]]] }, createSchedule({ name: 'vp-linear' }));
    const z = normalBatch(16, 2, 1);
    const tStop = 0.1;
    const x1 = gaussianFlowMap(MU, s, model.schedule, 1, z);
    const ref = gaussianFlowMap(MU, s, model.schedule, tStop, z).data;
    const steps = [16, 32, 64, 128];
    const ddim = await errors('ddim', model, x1, ref, steps, 'log-snr', tStop);
    const eul = await errors('euler', model, x1, ref, steps, 'log-snr', tStop);
    console.info(`order: ddim, vp-linear log-SNR grid, s = 0.02 Gaussian: ${observedOrder(steps, ddim).toFixed(3)}`);
    expect(Math.abs(observedOrder(steps, ddim) - 1)).toBeLessThan(0.15);
    ddim.forEach((e, i) => expect(e).toBeLessThan(eul[i]));
  });

  it("DDIM on 'linear' is Euler's step exactly (x_s = (1 - s) x0 + s eps)", async () => {
    const model = mixtureOracle('linear');
    const x1 = normalBatch(8, 2, 3);
    const a = await sample('ddim', model, x1, { grid: { name: 'uniform', steps: 10 } });
    const b = await sample('euler', model, x1, { grid: { name: 'uniform', steps: 10 } });
    expect(maxAbsDiff(a.x.data, b.x.data)).toBeLessThan(1e-12);
  });
});

describe('dopri5', () => {
  it('meets its tolerance against the exact flow map and reports its NFE', async () => {
    const s = 0.5;
    const model = createOracle({ weights: [1], means: [MU], covariances: [[[s * s, 0], [0, s * s]]] }, createSchedule({ name: 'vp-linear' }));
    const z = normalBatch(16, 2, 4);
    const tEnd = 1e-3;
    const x1 = gaussianFlowMap(MU, s, model.schedule, 1, z);
    const ref = gaussianFlowMap(MU, s, model.schedule, tEnd, z).data;
    let previousNfe = 0;
    for (const tol of [1e-4, 1e-6, 1e-8]) {
      const r = await sample('dopri5', model, x1, { grid: { name: 'uniform', steps: 10, tMin: tEnd }, rtol: tol, atol: tol });
      // Global error stays within a small multiple of the local tolerance on this smooth problem.
      expect(maxAbsDiff(r.x.data, ref)).toBeLessThan(10 * tol);
      expect(r.nfe).toBeGreaterThan(previousNfe);
      expect((r.nfe - 1) % 6).toBe(0); // one first evaluation, then six per attempted step
      expect(r.times[r.times.length - 1]).toBe(tEnd);
      previousNfe = r.nfe;
    }
  });

  it('throws when the evaluation budget runs out', async () => {
    const model = mixtureOracle('vp-linear');
    await expect(sample('dopri5', model, normalBatch(4, 2, 5), { rtol: 1e-10, atol: 1e-10, maxNfe: 50 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
