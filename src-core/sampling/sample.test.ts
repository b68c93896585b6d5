// The sampling entry point: progress, records, cancel, determinism, typed errors, grids and registry coverage.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { Rng } from '../rng';
import { createSchedule } from '../schedules';
import { grids, guidedModel, makeGrid, sample, samplers } from './index';
import { mixtureOracle, normalBatch } from '../../test/support/sampling-fixtures';

// Every sampler and the oracle test that covers it (convergence.test.ts, sde.test.ts).
const ORACLE_TESTED: Record<string, string> = {
  euler: 'orders on the Gaussian flow map and the mixture',
  heun: 'orders on the Gaussian flow map and the mixture',
  rk4: 'orders on the Gaussian flow map and the mixture',
  dopri5: 'tolerance against the exact flow map',
  ddim: 'order, beats Euler on narrow data, MMD with eta 1',
  'dpmpp-2m': 'order 2 on a log-SNR grid, beats Euler',
  'euler-maruyama': 'MMD for gamma 0, 0.5, 1 on vp-linear and linear',
  ddpm: 'MMD on vp-linear and the discrete ddpm preset',
  pc: 'MMD at the Langevin threshold',
  'annealed-langevin': 'MMD at the Langevin threshold',
};

const model = mixtureOracle('vp-linear');
const stochastic = { rng: new Rng(1) };

describe('sampler registry', () => {
  it('every registered sampler has an oracle test', () => {
    for (const name of samplers.names()) expect(ORACLE_TESTED[name], name).toBeDefined();
    expect(samplers.names().length).toBe(Object.keys(ORACLE_TESTED).length);
  });
  it('refuses a duplicate name', () => {
    expect(() => samplers.register('euler', samplers.get('euler'))).toThrow(StudioError);
  });
});

describe('common options', () => {
  for (const name of samplers.names()) {
    it(`${name}: onStep once per step, record [steps + 1, k, d], same seed same output`, async () => {
      const x = normalBatch(6, 2, 2);
      const calls: number[] = [];
      const options = {
        grid: { name: 'uniform', steps: 5 }, rng: new Rng(3), record: { indices: [0, 4] },
        onStep: (info: { step: number; nfe: number }) => calls.push(info.step),
      };
      const a = await sample(name, model, x, options);
      const b = await sample(name, model, x, { ...options, onStep: undefined, rng: new Rng(3) });
      expect(b.x.data).toEqual(a.x.data);
      const spec = samplers.get(name);
      const steps = spec.nfePerStep === 'adaptive' ? a.times.length - 1 : 5;
      expect(calls).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
      expect(a.trajectory?.shape).toEqual([steps + 1, 2, 2]);
      expect(a.trajectory?.x.length).toBe((steps + 1) * 4);
      expect(a.trajectory?.times).toEqual(a.times);
      // The recorded last state is the returned state of rows 0 and 4.
      expect(Array.from(a.trajectory!.x.slice(steps * 4, steps * 4 + 2))).toEqual(Array.from(Float32Array.from(a.x.data.slice(0, 2))));
      if (typeof spec.nfePerStep === 'number') expect(a.nfe).toBe(spec.nfePerStep * 5 + 1); // + 1: the record's final x0
      expect(x.data).toEqual(normalBatch(6, 2, 2).data); // the input is left alone
    });
  }

  it('keeps the buffer type of the input', async () => {
    const x32 = batch(Float32Array.from(normalBatch(4, 2, 1).data), [4, 2]);
    expect((await sample('heun', model, x32, { grid: { name: 'uniform', steps: 3 } })).x.data).toBeInstanceOf(Float32Array);
    expect((await sample('heun', model, normalBatch(4, 2, 1), { grid: { name: 'uniform', steps: 3 } })).x.data).toBeInstanceOf(Float64Array);
  });

  it('records the predicted x0 and denoiseLast returns the Tweedie estimate at t_min', async () => {
    const x = normalBatch(5, 2, 4);
    const r = await sample('euler', model, x, { grid: { name: 'uniform', steps: 4 }, record: { indices: [1] }, denoiseLast: true });
    const plain = await sample('euler', model, x, { grid: { name: 'uniform', steps: 4 } });
    const tweedie = model.x0(plain.x, model.schedule.tMin);
    expect(Math.abs(r.x.data[2] - tweedie[2])).toBeLessThan(1e-12);
    expect(r.nfe).toBe(5);
    const first = model.x0(x, 1);
    expect(r.trajectory!.x0[0]).toBeCloseTo(first[2], 5);
    expect(r.trajectory!.x0[8]).toBeCloseTo(tweedie[2], 5);
  });

  it('explicit noise arrays replace the rng', async () => {
    const x = normalBatch(3, 2, 5);
    const noise = Array.from({ length: 4 }, (_, i) => normalBatch(3, 2, 10 + i).data);
    const a = await sample('euler-maruyama', model, x, { grid: { name: 'uniform', steps: 4 }, noise });
    const b = await sample('euler-maruyama', model, x, { grid: { name: 'uniform', steps: 4 }, noise });
    expect(b.x.data).toEqual(a.x.data);
    await expect(sample('euler-maruyama', model, x, { grid: { name: 'uniform', steps: 5 }, noise })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('a cancel flag stops the run with a cancelled error', async () => {
    const signal = { aborted: false };
    let seen = 0;
    const run = sample('rk4', model, normalBatch(4, 2, 1), {
      grid: { name: 'uniform', steps: 20 }, cancel: signal,
      onStep: (info) => { seen = info.step; if (info.step === 3) signal.aborted = true; },
    });
    await expect(run).rejects.toMatchObject({ name: 'StudioError', code: 'cancelled' });
    expect(seen).toBe(3);
    const controller = new AbortController();
    controller.abort();
    await expect(sample('euler', model, normalBatch(4, 2, 1), { cancel: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('guidedModel with w = 1 is the conditional model and w = 0 the unconditional one', async () => {
    const other = mixtureOracle('vp-linear');
    const x = normalBatch(4, 2, 6);
    const uncond = { ...other, predict: (b: typeof x, t: number) => other.predict(b, t) };
    const cond = { ...model, predict: (b: typeof x, t: number) => Float64Array.from(model.velocity(b, t), (v) => v + 1) };
    expect(await guidedModel(cond, uncond, 1).predict(x, 0.5)).toEqual(await cond.predict(x, 0.5));
    expect(Array.from(await guidedModel(cond, uncond, 0).predict(x, 0.5))).toEqual(Array.from(model.velocity(x, 0.5)));
  });
});

describe('bad input throws typed errors', () => {
  const x = normalBatch(4, 2, 1);
  const cases: [string, () => Promise<unknown>, string][] = [
    ['unknown sampler', () => sample('nope', model, x), 'unknown-name'],
    ['unknown grid', () => sample('euler', model, x, { grid: { name: 'nope', steps: 4 } }), 'unknown-name'],
    ['steps < 1', () => sample('euler', model, x, { grid: { name: 'uniform', steps: 0 } }), 'invalid-argument'],
    ['fractional steps', () => sample('euler', model, x, { grid: { name: 'uniform', steps: 2.5 } }), 'invalid-argument'],
    ['NaN in noise', () => sample('euler', model, batch(new Float64Array([0, NaN, 1, 2]), [2, 2])), 'not-finite'],
    ['shape mismatch', () => sample('euler', model, { data: new Float64Array(5), shape: [2, 2] }), 'invalid-shape'],
    ['model of another dimension', () => sample('euler', model, normalBatch(2, 3, 1)), 'invalid-shape'],
    ['increasing explicit times', () => sample('euler', model, x, { grid: Float64Array.from([0.1, 0.5]) }), 'invalid-argument'],
    ['tMin >= tMax', () => sample('euler', model, x, { grid: { name: 'uniform', steps: 4, tMax: 0.2, tMin: 0.3 } }), 'invalid-argument'],
    ['SDE without rng', () => sample('ddpm', model, x), 'invalid-argument'],
    ['gamma < 0', () => sample('euler-maruyama', model, x, { ...stochastic, gamma: -1 }), 'invalid-argument'],
    ['ddim eta > 1', () => sample('ddim', model, x, { ...stochastic, eta: 2 }), 'invalid-argument'],
    ['record index out of range', () => sample('euler', model, x, { record: { indices: [4] } }), 'invalid-argument'],
  ];
  for (const [what, run, code] of cases) {
    it(what, async () => {
      await expect(run()).rejects.toMatchObject({ name: 'StudioError', code });
    });
  }
});

describe('time grids', () => {
  const vp = createSchedule({ name: 'vp-linear' });
  const linear = createSchedule({ name: 'linear' });
  it('keep the ends, decrease strictly and have n + 1 points', () => {
    for (const name of grids.names()) {
      for (const [schedule, tMin] of [[vp, 1e-3], [linear, 0]] as const) {
        const g = makeGrid(name, schedule, 12, 1, tMin);
        expect(g.length).toBe(13);
        expect(g[0]).toBe(1);
        expect(g[12]).toBe(tMin);
        for (let i = 1; i < g.length; i++) expect(g[i]).toBeLessThan(g[i - 1]);
      }
    }
  });
  it('log-snr is uniform in lambda and karras follows the rho = 7 levels of sigma / alpha', () => {
    const g = makeGrid('log-snr', vp, 10, 1, 1e-3);
    const step = (vp.logSnr(1e-3) - vp.logSnr(1)) / 10;
    for (let i = 0; i < 10; i++) expect(vp.logSnr(g[i + 1]) - vp.logSnr(g[i])).toBeCloseTo(step, 8);
    const k = makeGrid('karras', linear, 8, 1, 0.01);
    const r = (t: number) => linear.sigma(t) / linear.alpha(t);
    const a = Math.pow(r(1 - 1e-4), 1 / 7);
    const b = Math.pow(r(0.01), 1 / 7);
    for (let i = 1; i < 8; i++) expect(r(k[i])).toBeCloseTo(Math.pow(a + (i / 8) * (b - a), 7), 6);
  });
  it('rejects bad steps and ends', () => {
    expect(() => makeGrid('uniform', vp, 0)).toThrow(StudioError);
    expect(() => makeGrid('uniform', vp, 4, 1.5, 0)).toThrow(StudioError);
    expect(() => makeGrid('uniform', vp, 4, 0.5, -0.1)).toThrow(StudioError);
    expect(() => makeGrid('nope', vp, 4)).toThrow(/unknown time grid/);
  });
});
