// Likelihood through the probability-flow ODE against the oracle's exact log p_0.
import { describe, expect, it } from 'vitest';
import { batch, type Batch, type FloatArray } from '../batch';
import { createOracle } from '../oracle';
import { Rng } from '../rng';
import { createSchedule } from '../schedules';
import { MU, S, mixtureOracle } from '../../test/support/sampling-fixtures';
import { logLikelihood, type VelocityVjp } from './index';

function meanAbsDiff(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

describe('log p_0 with exact divergence', () => {
  const oracle = mixtureOracle('linear');
  const x = oracle.sample(64, new Rng(1));
  const exact = oracle.logDensity(x, 0);

  it('matches the exact log-density within 0.02 nats per point on linear (exact prior), RK4, float64', async () => {
    const r = await logLikelihood(oracle, x, { tMin: 0, steps: 40 });
    console.info(`likelihood: linear, RK4 40 steps, exact divergence: mean |log p - exact| = ${meanAbsDiff(r.logp, exact).toExponential(2)} nats`);
    expect(meanAbsDiff(r.logp, exact)).toBeLessThan(0.02);
    expect(r.nfe).toBe(40 * 4 * 5); // 4 stages x (1 velocity + 2 d directional differences)
    const meanExact = exact.reduce((a, b) => a + b, 0) / exact.length;
    expect(r.bpd).toBeCloseTo(-meanExact / (2 * Math.LN2), 1);
    expect(r.nats).toBeCloseTo(-r.meanLogp, 12);
  });

  it('matches with dopri5 and with a float32 buffer (h for float32)', async () => {
    const r = await logLikelihood(oracle, x, { tMin: 0, solver: 'dopri5', rtol: 1e-6, atol: 1e-6 });
    expect(meanAbsDiff(r.logp, exact)).toBeLessThan(0.02);
    const x32 = batch(Float32Array.from(x.data), x.shape);
    const r32 = await logLikelihood(oracle, x32, { tMin: 0, steps: 40 });
    const err32 = meanAbsDiff(r32.logp, oracle.logDensity(batch(Float64Array.from(x32.data), x.shape), 0));
    console.info(`likelihood: dopri5 1e-6 ${meanAbsDiff(r.logp, exact).toExponential(2)}, float32 RK4 ${err32.toExponential(2)} nats (nfe ${r.nfe}, ${r32.nfe})`);
    expect(err32).toBeLessThan(0.02);
  });

  it('is close on vp-linear from t_min, where the prior N(0, sigma_1^2 I) is an approximation', async () => {
    const vp = mixtureOracle('vp-linear');
    const r = await logLikelihood(vp, x, { solver: 'dopri5', rtol: 1e-6, atol: 1e-6 });
    console.info(`likelihood: vp-linear from t_min, dopri5: ${meanAbsDiff(r.logp, vp.logDensity(x, vp.schedule.tMin)).toExponential(2)} nats`);
    expect(meanAbsDiff(r.logp, vp.logDensity(x, vp.schedule.tMin))).toBeLessThan(0.02);
  });

  it('fails loudly on a wrong model: the likelihood of p_0 under a shifted mixture is lower', async () => {
    const shifted = createOracle({ weights: [1], means: [[0, 0]], covariances: [[[1, 0], [0, 1]]] }, createSchedule({ name: 'linear' }));
    const r = await logLikelihood(shifted, x, { tMin: 0, steps: 20 });
    expect(meanAbsDiff(r.logp, exact)).toBeGreaterThan(0.1);
  });
});

describe('Hutchinson estimator', () => {
  it("per-row estimates average to the exact divergence's result within three standard errors", async () => {
    const oracle = mixtureOracle('linear');
    const x = oracle.sample(200, new Rng(2));
    const exact = await logLikelihood(oracle, x, { tMin: 0, steps: 20 });
    const hutch = await logLikelihood(oracle, x, { tMin: 0, steps: 20, divergence: 'hutchinson', probes: 2, rng: new Rng(3) });
    const diff = hutch.logp.map((v, i) => v - exact.logp[i]);
    const mean = diff.reduce((a, b) => a + b, 0) / diff.length;
    const sd = Math.sqrt(diff.reduce((a, b) => a + (b - mean) ** 2, 0) / (diff.length - 1));
    const se = sd / Math.sqrt(diff.length);
    console.info(`likelihood: Hutchinson (2 probes) mean difference ${mean.toExponential(2)}, standard error ${se.toExponential(2)} nats`);
    expect(se).toBeGreaterThan(0); // the probes do add noise
    expect(Math.abs(mean)).toBeLessThan(3 * se);
    expect(hutch.nfe).toBe(20 * 4 * 5); // 1 velocity + 2 probes x 2 differences per stage
  });

  it('needs an rng', async () => {
    const oracle = mixtureOracle('linear');
    await expect(logLikelihood(oracle, oracle.sample(4, new Rng(1)), { divergence: 'hutchinson' })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});

describe('gradient hook', () => {
  it('uses a true VJP: on one Gaussian u is affine with J = (c\'/c) I, and log p_0 is exact', async () => {
    const schedule = createSchedule({ name: 'linear' });
    const oracle = createOracle({ weights: [1], means: [MU], covariances: [[[S * S, 0], [0, S * S]]] }, schedule);
    let calls = 0;
    const gradient: VelocityVjp = async (y: FloatArray, t: number, v: FloatArray) => {
      calls++;
      const a = schedule.alpha(t);
      const sg = schedule.sigma(t);
      const c2 = a * a * S * S + sg * sg;
      const slope = (a * schedule.dAlpha(t) * S * S + sg * schedule.dSigma(t)) / c2;
      const b: Batch = { data: y, shape: [y.length / 2, 2] };
      return { velocity: oracle.velocity(b, t), vjp: v.map((vi) => slope * vi) };
    };
    const x = oracle.sample(16, new Rng(4));
    const r = await logLikelihood(oracle, x, { tMin: 0, steps: 10, gradient });
    // Only the RK4 error is left (no difference quotient): 5e-6 at 10 steps.
    expect(meanAbsDiff(r.logp, oracle.logDensity(x, 0))).toBeLessThan(1e-4);
    expect(calls).toBe(10 * 4 * 2);
    expect(r.nfe).toBe(calls);
  });
});

describe('bad input', () => {
  const oracle = mixtureOracle('linear');
  it('throws typed errors', async () => {
    await expect(logLikelihood(oracle, batch(new Float64Array([NaN, 0]), [1, 2]))).rejects.toMatchObject({ code: 'not-finite' });
    await expect(logLikelihood(oracle, oracle.sample(2, new Rng(1)), { steps: 0 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(logLikelihood(oracle, oracle.sample(2, new Rng(1)), { tMin: 1 })).rejects.toMatchObject({ code: 'invalid-argument' });
    const cancel = { aborted: true };
    await expect(logLikelihood(oracle, oracle.sample(2, new Rng(1)), { cancel })).rejects.toMatchObject({ code: 'cancelled' });
  });
});
