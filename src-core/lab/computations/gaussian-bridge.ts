// Lab computation 'gaussianBridge': the Schrödinger bridge between two 2-D Gaussians built from samples (Sinkhorn plan, Brownian bridges between its pairs) against its closed form at every t.
import { z } from 'zod';
import { sinkhornAsync } from '../../coupling/sinkhorn';
import { samplePlanRows } from '../../coupling/plan-sampling';
import { Rng } from '../../rng';
import { owned } from '../arrays';
import { defineComputation } from '../computation';
import { covariance2d, gaussianBridge, gaussianW2Squared, type Gaussian } from '../gaussian-bridge';
import { drawGaussian, momentStandardErrors, sampleCrossCovariance, sampleMoments } from '../gaussian-samples';
import { combine, frobenius } from '../symmetric';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** A 2-D Gaussian as the panel sets it: its mean, standard deviations and correlation. */
const gaussianParams = z.strictObject({
  mean: z.tuple([z.number().min(-10).max(10), z.number().min(-10).max(10)]),
  sx: z.number().min(0.05).max(5),
  sy: z.number().min(0.05).max(5),
  rho: z.number().min(-0.95).max(0.95),
});

const toGaussian = (g: z.output<typeof gaussianParams>): Gaussian => ({ mean: Float64Array.from(g.mean), cov: covariance2d(g.sx, g.sy, g.rho) });

/** The bridge from N(mu0, S0) at t = 0 to N(mu1, S1) at t = 1, reference Brownian motion of variance s^2 per unit time (MATH.md §9). */
export const gaussianBridgeComputation = defineComputation({
  name: 'gaussianBridge',
  title: 'The Schrödinger bridge between two Gaussians, sampled against its closed form',
  params: z.strictObject({
    from: gaussianParams.default({ mean: [-2, -0.5], sx: 0.5, sy: 1, rho: 0.6 }),
    to: gaussianParams.default({ mean: [2, 0.5], sx: 1.2, sy: 0.4, rho: -0.5 }),
    s: z.number().min(0.2).max(3).default(1),
    samples: z.number().int().min(100).max(3000).default(800),
    times: z.number().int().min(3).max(101).default(21),
    /** How the end points are paired: from the entropic plan (the bridge) or independently (a wrong bridge, for contrast). */
    pairing: z.enum(['entropic', 'independent']).default('entropic'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    times: f64,
    /** The closed form at each time: means [K, 2] and covariances [K, 4]. */
    mean: f64,
    cov: f64,
    /** The sample moments of the simulated bridge at each time, same layouts. */
    sampleMean: f64,
    sampleCov: f64,
    /** |sample mean - mean| and ||sample cov - cov||_F at each time, and the standard errors an n-draw estimate has there. */
    meanError: f64,
    covError: f64,
    meanNoise: f64,
    covNoise: f64,
    /** ||sample cov - cov of the OT (McCann) interpolation||_F: how far a bridge without noise (s = 0) would be. */
    otCovError: f64,
    /** Cov(x0, x1) of the end-point coupling: the closed form C and the one of the drawn pairs, [4] each. */
    cross: f64,
    sampleCross: f64,
    /** E ||x1 - x0||^2: the closed form, the drawn pairs', and W2^2 between the ends (the s -> 0 limit). */
    cost: z.object({ exact: z.number(), sampled: z.number(), w2Squared: z.number() }),
    /** The simulated particles [K, samples, 2]. */
    frames: f32,
    sinkhorn: z.object({ iterations: z.number().int(), marginalError: z.number(), converged: z.boolean() }),
  }),
  async run(p, ctx) {
    const p0 = toGaussian(p.from);
    const p1 = toGaussian(p.to);
    const n = p.samples;
    const rng = new Rng(p.seed);
    const x0 = drawGaussian(p0, n, rng);
    const x1 = drawGaussian(p1, n, rng);
    await ctx.progress(0, p.times + 1);
    // the static bridge between the two samples: entropic OT with epsilon = 2 s^2, each x0 given a partner from its row
    // (independent draws of the two Gaussians are already independent pairs)
    const plan = await sinkhornAsync({ data: x0, shape: [n, 2] }, { data: x1, shape: [n, 2] }, { epsilon: 2 * p.s * p.s, tolerance: 1e-3, maxIterations: 20_000, signal: ctx.signal, turn: () => ctx.progress(0, p.times + 1) });
    const partner = p.pairing === 'entropic' ? samplePlanRows(plan.plan, n, n, rng) : Int32Array.from({ length: n }, (_, i) => i);
    const y = new Float64Array(2 * n);
    let sampled = 0;
    for (let i = 0; i < n; i++) {
      y[2 * i] = x1[2 * partner[i]];
      y[2 * i + 1] = x1[2 * partner[i] + 1];
      sampled += ((y[2 * i] - x0[2 * i]) ** 2 + (y[2 * i + 1] - x0[2 * i + 1]) ** 2) / n;
    }
    const bridge = gaussianBridge(p0, p1, p.s);
    const mccann = gaussianBridge(p0, p1, 0);
    const K = p.times;
    const times = Float64Array.from({ length: K }, (_, k) => k / (K - 1));
    const mean = new Float64Array(2 * K);
    const cov = new Float64Array(4 * K);
    const sampleMean = new Float64Array(2 * K);
    const sampleCov = new Float64Array(4 * K);
    const meanError = new Float64Array(K);
    const covError = new Float64Array(K);
    const meanNoise = new Float64Array(K);
    const covNoise = new Float64Array(K);
    const otCovError = new Float64Array(K);
    const frames = new Float32Array(K * n * 2);
    const xt = new Float64Array(2 * n);
    for (let k = 0; k < K; k++) {
      await ctx.progress(k + 1, K + 1);
      const t = times[k];
      const spread = p.s * Math.sqrt(t * (1 - t));
      for (let q = 0; q < 2 * n; q++) xt[q] = (1 - t) * x0[q] + t * y[q] + spread * rng.normal();
      frames.set(xt, k * 2 * n);
      const exact = bridge.marginal(t);
      const seen = sampleMoments(xt, n, 2);
      mean.set(exact.mean, 2 * k);
      cov.set(exact.cov, 4 * k);
      sampleMean.set(seen.mean, 2 * k);
      sampleCov.set(seen.cov, 4 * k);
      meanError[k] = frobenius(combine(1, seen.mean, -1, exact.mean));
      covError[k] = frobenius(combine(1, seen.cov, -1, exact.cov));
      otCovError[k] = frobenius(combine(1, seen.cov, -1, mccann.marginal(t).cov));
      const se = momentStandardErrors(exact, n);
      meanNoise[k] = se.mean;
      covNoise[k] = se.cov;
    }
    return {
      times, mean, cov, sampleMean, sampleCov, meanError, covError, meanNoise, covNoise, otCovError,
      cross: owned(bridge.cross),
      sampleCross: owned(sampleCrossCovariance(x0, y, n, 2)),
      cost: { exact: bridge.transportCost, sampled, w2Squared: gaussianW2Squared(p0, p1) },
      frames,
      sinkhorn: { iterations: plan.iterations, marginalError: plan.marginalError, converged: plan.converged },
    };
  },
});
