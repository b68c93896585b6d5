// Lab computation 'processes': Brownian motion and Ornstein–Uhlenbeck paths in 1-D, their histogram at every time and the KS distance to the exact Gaussian marginal.
import { z } from 'zod';
import { simulateOrnsteinUhlenbeck } from '../../simulate';
import { defineComputation } from '../computation';
import { owned } from '../arrays';
import { ouSde } from '../sde';
import { ksCritical5, ksGaussian, ksPValue } from '../stats';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** Most stored path values (paths x (steps + 1)): a reply of a few MB at most. */
const MAX_VALUES = 2_000_000;

/** Brownian motion X = x0 + sigma W, or OU dX = -theta X dt + sigma dW from x0 (MATH.md §9). */
export const processesComputation = defineComputation({
  name: 'processes',
  title: 'Brownian motion and OU paths against their exact marginals',
  params: z
    .strictObject({
      process: z.enum(['brownian', 'ou']).default('ou'),
      theta: z.number().min(0).max(20).default(1),
      sigma: z.number().gt(0).max(10).default(1),
      x0: z.number().min(-20).max(20).default(2),
      tEnd: z.number().gt(0).max(20).default(3),
      paths: z.number().int().min(10).max(10_000).default(500),
      steps: z.number().int().min(1).max(5000).default(300),
      /** Euler–Maruyama, or the exact Gaussian transition (whose marginals are exact on any grid). */
      method: z.enum(['euler-maruyama', 'exact']).default('euler-maruyama'),
      bins: z.number().int().min(5).max(200).default(40),
      seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    })
    .refine((p) => p.paths * (p.steps + 1) <= MAX_VALUES, { message: `paths x (steps + 1) must be at most ${MAX_VALUES.toLocaleString('en')}`, path: ['paths'] }),
  result: z.object({
    times: f64,
    /** Paths [steps + 1, paths]. */
    paths: f32,
    /** The exact marginal N(mean, std^2) at each time. */
    mean: f64,
    std: f64,
    /** Histogram densities [steps + 1, bins] over [lo, hi] (count / (paths * width)). */
    histogram: z.object({ lo: z.number(), hi: z.number(), bins: z.number().int(), density: f32 }),
    /** KS distance of the paths at each time from the exact marginal, and its p-value. */
    ks: f64,
    pValue: f64,
    /** The KS distance a sample of this size exceeds 5% of the time under the exact law. */
    ksCritical: z.number(),
    /** Share of the times t > 0 whose p-value is below 0.05 (about 5% when the marginals are right). */
    rejectedShare: z.number(),
  }),
  async run(p, ctx) {
    const theta = p.process === 'brownian' ? 0 : p.theta;
    const sim = simulateOrnsteinUhlenbeck({ n: p.paths, d: 1, steps: p.steps, theta, s: p.sigma, start: [p.x0], tEnd: p.tEnd, method: p.method, seed: p.seed, signal: ctx.signal });
    const law = ouSde(theta, p.sigma);
    const K = p.steps + 1;
    const n = p.paths;
    const mean = new Float64Array(K);
    const std = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const { mean: a, variance } = law.transition(0, sim.times[k]);
      mean[k] = a * p.x0;
      std[k] = Math.sqrt(variance);
    }
    // one range for every time, wide enough for each exact marginal, so the view holds still while scrubbing
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < K; k++) {
      lo = Math.min(lo, mean[k] - 4 * std[k]);
      hi = Math.max(hi, mean[k] + 4 * std[k]);
    }
    const width = (hi - lo) / p.bins;
    const density = new Float32Array(K * p.bins);
    const counts = new Float64Array(p.bins);
    const ks = new Float64Array(K);
    const pValue = new Float64Array(K);
    const column = new Float64Array(n);
    let rejected = 0;
    for (let k = 0; k < K; k++) {
      await ctx.progress(k, K);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const x = sim.paths[k * n + i];
        column[i] = x;
        const b = Math.floor((x - lo) / width);
        if (b >= 0 && b < p.bins) counts[b]++;
      }
      for (let b = 0; b < p.bins; b++) density[k * p.bins + b] = counts[b] / (n * width);
      ks[k] = ksGaussian(column, mean[k], std[k]);
      pValue[k] = ksPValue(ks[k], n);
      if (k > 0 && pValue[k] < 0.05) rejected++;
    }
    return {
      times: owned(sim.times),
      paths: owned(sim.paths),
      mean,
      std,
      histogram: { lo, hi, bins: p.bins, density },
      ks,
      pValue,
      ksCritical: ksCritical5(n),
      rejectedShare: K > 1 ? rejected / (K - 1) : 0,
    };
  },
});
