// Lab computation 'forwardSde': a schedule's forward SDE noising a built-in 2-D data set, with each particle's residual (x_t - alpha_t x_0) / sigma_t checked against N(0, 1).
import { z } from 'zod';
import { generateDataset } from '../../data';
import { Rng } from '../../rng';
import { scheduleSpecSchema } from '../../schedules';
import { uniformGrid } from '../../simulate';
import { defineComputation } from '../computation';
import { owned } from '../arrays';
import { scheduleSde } from '../sde';
import { simulateSnapshots } from '../snapshots';
import { ksGaussian, ksPValue } from '../stats';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** The forward SDE dx = f_t x dt + g_t dW of a schedule from t = 0 (the data) to its last finite time (MATH.md §1). */
export const forwardSdeComputation = defineComputation({
  name: 'forwardSde',
  title: "A schedule's forward SDE noising a 2-D data set",
  params: z.strictObject({
    schedule: scheduleSpecSchema,
    /** A built-in 2-D set as the Data section names it: id, its own parameters, noise, and for the mixture its components. */
    data: z
      .strictObject({
        id: z.string().min(1).max(64),
        params: z.record(z.string(), z.number()).optional(),
        noise: z.number().min(0).max(10).optional(),
        mixture: z.unknown().optional(),
      })
      .default({ id: 'two-moons' }),
    particles: z.number().int().min(10).max(5000).default(1000),
    steps: z.number().int().min(10).max(10_000).default(1000),
    snapshots: z.number().int().min(2).max(101).default(41),
    method: z.enum(['euler-maruyama', 'exact']).default('euler-maruyama'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    times: f64,
    /** Particles [snapshots, particles, 2]. */
    frames: f32,
    /** alpha_t and sigma_t at each snapshot (the exact law x_t | x_0 ~ N(alpha_t x_0, sigma_t^2 I)). */
    alpha: f64,
    sigma: f64,
    /** Over both coordinates of every particle, the residual's mean, variance and KS distance from N(0, 1) (NaN where sigma_t = 0). */
    residual: z.object({ mean: f64, variance: f64, ks: f64, pValue: f64 }),
  }),
  async run(p, ctx) {
    const sde = scheduleSde(p.schedule);
    const data = generateDataset(p.data.id, { ...(p.data.params ?? {}), count: p.particles, seed: p.seed, ...(p.data.noise !== undefined ? { noise: p.data.noise } : {}), ...(p.data.mixture !== undefined ? { mixture: p.data.mixture } : {}) });
    const times = uniformGrid(0, sde.tMax, p.snapshots - 1);
    const stepsPerGap = Math.max(1, Math.ceil(p.steps / (p.snapshots - 1)));
    const x0 = Float64Array.from(data.data);
    const { frames } = await simulateSnapshots(sde, times, x0, 2, { stepsPerGap, method: p.method, rng: new Rng(p.seed + 1), ctx });
    const K = times.length;
    const alpha = new Float64Array(K);
    const sigma = new Float64Array(K);
    const residual = { mean: new Float64Array(K), variance: new Float64Array(K), ks: new Float64Array(K), pValue: new Float64Array(K) };
    const z0 = new Float64Array(x0.length);
    for (let k = 0; k < K; k++) {
      await ctx.progress(k, K);
      const { mean: a, variance: v } = sde.transition(0, times[k]);
      alpha[k] = a;
      sigma[k] = Math.sqrt(v);
      if (!(sigma[k] > 0)) {
        residual.mean[k] = residual.variance[k] = residual.ks[k] = residual.pValue[k] = NaN;
        continue;
      }
      let s = 0;
      let ss = 0;
      for (let i = 0; i < x0.length; i++) {
        z0[i] = (frames[k * x0.length + i] - a * x0[i]) / sigma[k];
        s += z0[i];
        ss += z0[i] * z0[i];
      }
      residual.mean[k] = s / z0.length;
      residual.variance[k] = ss / z0.length - residual.mean[k] ** 2;
      residual.ks[k] = ksGaussian(z0, 0, 1);
      residual.pValue[k] = ksPValue(residual.ks[k], z0.length);
    }
    return { times: owned(times), frames: owned(frames), alpha, sigma, residual };
  },
});
