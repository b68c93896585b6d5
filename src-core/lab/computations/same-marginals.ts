// Lab computation 'sameMarginals': for a Gaussian mixture, the exact p_t with its score, PF-ODE velocity and reverse-SDE drift, and particles of the
// gamma family (ODE at gamma = 0, reverse SDE at gamma = 1) landing on the same marginals, each checked by MMD against exact draws of p_t.
import { z } from 'zod';
import { batch } from '../../batch';
import { mmdPermutationTest } from '../../metrics';
import type { Model } from '../../model';
import { createOracle, gaussianMixtureSchema } from '../../oracle';
import { Rng } from '../../rng';
import { sample } from '../../sampling';
import { createSchedule, scheduleSpecSchema } from '../../schedules';
import { owned } from '../arrays';
import { defineComputation } from '../computation';
import { mixtureRange, smallMixture } from '../mixture-marginal';
import { gridCentres } from '../grid';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** Standard deviations of room around each marginal's components in the picture. */
const VIEW_SD = 3.5;


/** The gamma family dx = [u - (gamma^2 g^2 / 2) score] dt + gamma g dW from exact draws of p_1, every gamma from the same draws (MATH.md §5). */
export const sameMarginalsComputation = defineComputation({
  name: 'sameMarginals',
  title: 'The probability-flow ODE and the SDEs of the gamma family share their marginals',
  params: z.strictObject({
    mixture: gaussianMixtureSchema,
    schedule: scheduleSpecSchema.default({ name: 'linear', sigmaMin: 0 }),
    gammas: z.array(z.number().min(0).max(5)).min(1).max(6).default([0, 0.5, 1, 2]),
    particles: z.number().int().min(20).max(2000).default(400),
    /** Euler–Maruyama steps from t = 1 to the schedule's tMin. */
    steps: z.number().int().min(4).max(5000).default(200),
    snapshots: z.number().int().min(2).max(21).default(6),
    /** Pixels per side of the density picture, arrows per side of the fields. */
    resolution: z.number().int().min(8).max(160).default(72),
    fieldResolution: z.number().int().min(4).max(40).default(15),
    permutations: z.number().int().min(20).max(1000).default(100),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    /** The square shown: [xMin, xMax, yMin, yMax]. */
    extent: z.array(z.number()).length(4),
    /** Snapshot times, from 1 down to the schedule's tMin. */
    times: f64,
    /** log p_t on the resolution^2 grid per snapshot [snapshots, res, res], row 0 at the bottom. */
    logDensity: f32,
    /** Fields at the fieldResolution^2 grid centres per snapshot [snapshots, F, F, 2]: the score, u and u - (g^2/2) score. */
    score: f32,
    velocity: f32,
    reverseDrift: f32,
    gammas: z.array(z.number()),
    /** Particles [gammas, snapshots, particles, 2]. */
    particles: f32,
    /** MMD^2 of each gamma's particles against as many exact draws of p_t, its permutation p-value and the null's 95% quantile [gammas, snapshots]. */
    mmd2: f64,
    pValue: f64,
    q95: f64,
    nfe: z.number().int(),
  }),
  async run(p, ctx) {
    const schedule = createSchedule(p.schedule);
    const oracle = createOracle(p.mixture, schedule, 'velocity');
    const rng = new Rng(p.seed);
    const n = p.particles;
    const K = p.snapshots;
    const G = p.gammas.length;
    // sampler grid from 1 to tMin; snapshots on grid points
    const grid = Float64Array.from({ length: p.steps + 1 }, (_, i) => 1 + ((schedule.tMin - 1) * i) / p.steps);
    const at = Array.from({ length: K }, (_, k) => Math.round((k * p.steps) / (K - 1)));
    const times = Float64Array.from(at, (i) => grid[i]);

    const m = smallMixture(oracle.mixture, 2);
    const lo = [Infinity, Infinity];
    const hi = [-Infinity, -Infinity];
    for (const t of times) {
      const a = schedule.alpha(t);
      const s = schedule.sigma(t);
      const r = mixtureRange({ ...m, means: m.means.map((mu) => mu.map((v) => a * v)), covariances: m.covariances.map((S) => S.map((v, i) => a * a * v + (i % 3 === 0 ? s * s : 0))) }, VIEW_SD);
      for (let j = 0; j < 2; j++) [lo[j], hi[j]] = [Math.min(lo[j], r.lo[j]), Math.max(hi[j], r.hi[j])];
    }
    const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
    const cx = (lo[0] + hi[0]) / 2;
    const cy = (lo[1] + hi[1]) / 2;
    const extent = [cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2];

    const R = p.resolution;
    const F = p.fieldResolution;
    const pixels = batch(gridCentres(extent, R), [R * R, 2]);
    const arrows = batch(gridCentres(extent, F), [F * F, 2]);
    const logDensity = new Float32Array(K * R * R);
    const score = new Float32Array(K * F * F * 2);
    const velocity = new Float32Array(K * F * F * 2);
    const reverseDrift = new Float32Array(K * F * F * 2);
    times.forEach((t, k) => {
      logDensity.set(oracle.logDensity(pixels, t), k * R * R);
      const s = oracle.score(arrows, t);
      const u = oracle.velocity(arrows, t);
      const g2 = schedule.g2(t);
      // where g^2 is infinite (t = 1 on 'linear') the reverse SDE takes the ODE's step, as the sampler does
      const half = Number.isFinite(g2) ? g2 / 2 : 0;
      score.set(s, k * F * F * 2);
      velocity.set(u, k * F * F * 2);
      reverseDrift.set(u.map((v, i) => v - half * s[i]), k * F * F * 2);
    });

    // every gamma starts from the same exact draws of p_1; each (gamma, t) is compared with exact draws of p_t of its own,
    // so the tests of different gammas do not share one (possibly unlucky) reference sample
    const start = Float32Array.from(oracle.sampleAt(1, n, rng).data);
    const particles = new Float32Array(G * K * n * 2);
    const mmd2 = new Float64Array(G * K);
    const pValue = new Float64Array(G * K);
    const q95 = new Float64Array(G * K);
    let evaluations = 0;
    const total = G * p.steps;
    const model: Model = {
      parameterisation: 'velocity',
      schedule,
      async predict(x, t) {
        await ctx.progress(evaluations++, total);
        return oracle.predict(x, t);
      },
    };
    let nfe = 0;
    for (let g = 0; g < G; g++) {
      let x = Float32Array.from(start);
      for (let k = 0; k < K; k++) {
        if (k > 0 && at[k] > at[k - 1]) {
          const r = await sample('euler-maruyama', model, batch(x, [n, 2]), { grid: grid.slice(at[k - 1], at[k] + 1), gamma: p.gammas[g], rng, cancel: ctx.signal });
          x = r.x.data;
          nfe += r.nfe;
        }
        particles.set(x, ((g * K + k) * n) * 2);
        const test = mmdPermutationTest(batch(Float64Array.from(x), [n, 2]), oracle.sampleAt(times[k], n, rng), { permutations: p.permutations, rng });
        mmd2[g * K + k] = test.mmd2;
        pValue[g * K + k] = test.pValue;
        q95[g * K + k] = test.q95;
      }
    }
    return { extent, times: owned(times), logDensity, score, velocity, reverseDrift, gammas: [...p.gammas], particles, mmd2, pValue, q95, nfe };
  },
});
