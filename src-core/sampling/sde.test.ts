// Marginals of the stochastic samplers against exact oracle samples: MMD^2 below a permutation-null threshold.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../batch';
import { mmd2, mmdNullThreshold, resolveBandwidths } from '../metrics';
import { Rng } from '../rng';
import { sample } from './index';
import { mixtureOracle } from '../../test/support/sampling-fixtures';
import type { SampleOptions } from './types';

const N = 1000;
const oracle = mixtureOracle('vp-linear');
let exact: Batch;
let bandwidths: number[];
let q99: number;
let loose: number;

beforeAll(() => {
  // p_0 does not depend on the schedule: one exact reference and one null serve both schedules.
  exact = oracle.sample(N, new Rng(101));
  const other = oracle.sample(N, new Rng(102));
  bandwidths = [...resolveBandwidths(exact, other)];
  q99 = mmdNullThreshold(exact, other, { rng: new Rng(103), permutations: 100, bandwidths }).q99;
  // Looser bar for Langevin-based samplers (finite step size biases their stationary law): no further from p_0
  // than the exact noisy marginal p_t at t = 0.05 (sigma ~ 0.1, a third of the components' spread) is.
  loose = Math.max(q99, mmd2(oracle.sampleAt(0.05, N, new Rng(104)), exact, { bandwidths }));
});

async function mmdOf(schedule: string, name: string, options: SampleOptions, steps: number, startAt?: number): Promise<number> {
  const model = mixtureOracle(schedule);
  // 'linear' has g_t^2 -> infinity at t = 1: by default its SDEs start from the exact marginal at t = 0.99.
  const tMax = startAt ?? (schedule === 'linear' ? 0.99 : 1);
  const x = model.sampleAt(tMax, N, new Rng(7));
  const r = await sample(name, model, x, { grid: { name: 'uniform', steps, tMax }, rng: new Rng(8), ...options });
  const value = mmd2(r.x, exact, { bandwidths });
  console.info(`mmd2: ${name} ${JSON.stringify(options)} ${schedule}: ${value.toExponential(2)} (null q99 ${q99.toExponential(2)}, Langevin bar ${loose.toExponential(2)})`);
  return value;
}

describe('the gamma family keeps the marginals of p_t (MMD^2 below the null 99% quantile)', () => {
  for (const schedule of ['vp-linear', 'linear']) {
    for (const gamma of [0, 0.5, 1]) {
      it(`euler-maruyama, gamma ${gamma}, ${schedule}`, async () => {
        expect(await mmdOf(schedule, 'euler-maruyama', { gamma }, 100)).toBeLessThan(q99);
      });
    }
  }

  it('euler-maruyama, gamma 1, linear from t = 1 (where g^2 is infinite the first step is the ODE step)', async () => {
    expect(await mmdOf('linear', 'euler-maruyama', { gamma: 1 }, 100, 1)).toBeLessThan(q99);
  });

  it('the test has power: the noisy marginal at t = 0.2 and a sample shifted by 0.15 both fail it', async () => {
    expect(mmd2(oracle.sampleAt(0.2, N, new Rng(9)), exact, { bandwidths })).toBeGreaterThan(q99);
    const model = mixtureOracle('vp-linear');
    const r = await sample('euler-maruyama', model, model.sampleAt(1, N, new Rng(7)), { grid: { name: 'uniform', steps: 100 }, rng: new Rng(8) });
    expect(mmd2(r.x, exact, { bandwidths })).toBeLessThan(q99);
    const shifted = { data: r.x.data.map((v) => v + 0.15), shape: r.x.shape };
    expect(mmd2(shifted, exact, { bandwidths })).toBeGreaterThan(q99);
  });
});

describe('ancestral and Langevin samplers reach p_0', () => {
  it('ddpm ancestral (VDM posterior) on vp-linear', async () => {
    expect(await mmdOf('vp-linear', 'ddpm', {}, 100)).toBeLessThan(q99);
  });
  it('ddpm ancestral on the discrete ddpm preset, one step per level (beta_tilde)', async () => {
    const model = mixtureOracle('ddpm');
    const x = model.sampleAt(1, N, new Rng(7));
    const r = await sample('ddpm', model, x, { grid: { name: 'uniform', steps: 1000, tMin: 0 }, rng: new Rng(8) });
    expect(mmd2(r.x, exact, { bandwidths })).toBeLessThan(q99);
  });
  it('ddim with eta 1 (ancestral) on linear', async () => {
    expect(await mmdOf('linear', 'ddim', { eta: 1 }, 100)).toBeLessThan(q99);
  });
  it('predictor–corrector (reverse SDE + 1 Langevin step, r = 0.16)', async () => {
    expect(await mmdOf('vp-linear', 'pc', { snr: 0.16, correctorSteps: 1 }, 100)).toBeLessThan(loose);
  });
  it('annealed Langevin dynamics (5 steps per level, r = 0.16)', async () => {
    expect(await mmdOf('vp-linear', 'annealed-langevin', { snr: 0.16, correctorSteps: 5 }, 100)).toBeLessThan(loose);
  });
});
