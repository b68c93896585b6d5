// Lab computation 'likelihood': log p_0 over a 2-D grid from a flow trained on a Gaussian mixture (or the mixture's exact velocity) through the
// probability-flow ODE with the exact divergence, beside the oracle's log p_0; the grid's mass, held-out NLL against the oracle, and Hutchinson against exact.
import { z } from 'zod';
import { batch } from '../../batch';
import { logLikelihood } from '../../likelihood';
import type { Model } from '../../model';
import { createOracle, gaussianMixtureSchema } from '../../oracle';
import { Rng } from '../../rng';
import { createSchedule } from '../../schedules';
import { defineComputation, type LabContext } from '../computation';
import { fitFlow } from '../flow-fit';
import { mixtureRange, smallMixture } from '../mixture-marginal';
import { mlpConfig } from '../../graph/families/mlp';
import { gridCentres } from '../grid';

const f32 = z.instanceof(Float32Array);

/** Standard deviations of room around each component in the picture (the mass outside is below 1e-5 for the mixture). */
const VIEW_SD = 4;
/** Draws of the mixture the flow trains on. */
const TRAIN_ROWS = 4096;

/** The models the panel compares with the oracle: a flow trained here, or the mixture's exact velocity. */
const LIKELIHOOD_MODELS = ['flow', 'oracle'] as const;

/** Mean and standard error of a list of numbers. */
function meanAndError(v: ArrayLike<number>): { mean: number; se: number } {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i] / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (v[i] - mean) ** 2;
  return { mean, se: n > 1 ? Math.sqrt(sq / (n - 1) / n) : 0 };
}


/** A velocity for the likelihood, each evaluation reported as progress (so a cancel lands between two). */
interface LikelihoodModel {
  readonly model: Model;
  /** Points in the precision the model computes in. */
  readonly points: (x: Float64Array) => Float32Array | Float64Array;
  dispose(): void;
}

const params = z.strictObject({
  mixture: gaussianMixtureSchema,
  model: z.enum(LIKELIHOOD_MODELS).default('flow'),
  /** Training steps of the flow (batch 256). */
  trainSteps: z.number().int().min(50).max(20000).default(2000),
  /** Cells per side of the grid. */
  resolution: z.number().int().min(8).max(128).default(48),
  /** RK4 steps of the likelihood ODE from t = 0 to 1. */
  steps: z.number().int().min(2).max(400).default(24),
  heldOut: z.number().int().min(20).max(5000).default(400),
  /** Rademacher probes per point for Hutchinson's estimate. */
  probes: z.number().int().min(1).max(64).default(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
});

/**
 * The flow trained on the mixture (its EMA network on the backend that trained it, float32) or the oracle's velocity (float64); the
 * divergence is exact in d = 2 by central differences along both axes, with the step made for the model's precision (MATH.md §6).
 */
async function likelihoodModel(p: z.output<typeof params>, ctx: LabContext, total: () => number, done: { n: number }) {
  const schedule = createSchedule({ name: 'linear', sigmaMin: 0 });
  const oracle = createOracle(p.mixture, schedule, 'velocity');
  if (p.model === 'oracle') {
    const m: LikelihoodModel = {
      model: { parameterisation: 'velocity', schedule, predict: async (x, t) => {
        await ctx.progress(done.n++, total());
        return oracle.predict(x, t);
      } },
      points: (x) => x,
      dispose: () => undefined,
    };
    return { oracle, m, training: null };
  }
  const rng = new Rng(p.seed);
  const data = Float32Array.from(oracle.sample(TRAIN_ROWS, rng).data);
  const flow = await fitFlow({
    config: { data: { source: 'builtin', id: 'gaussian-mixture' }, model: mlpConfig([128, 128, 128]), steps: p.trainSteps, batchSize: 256, seed: p.seed },
    data: { data, rowSize: 2 },
    backend: ctx.host.trainingBackend,
    onSteps: (s) => ctx.progress((done.n = s), total()),
  });
  const m: LikelihoodModel = {
    model: { parameterisation: 'velocity', schedule, predict: async (x, t) => {
      await ctx.progress(done.n++, total());
      return flow.model.predict(x, t);
    } },
    points: (x) => Float32Array.from(x),
    dispose: () => flow.dispose(),
  };
  return { oracle, m, training: { steps: flow.steps, seconds: flow.seconds, loss: flow.loss, backend: flow.backend } };
}

/** log p_0 on a grid and on held-out draws, by the PF-ODE (exact and Hutchinson divergence) and by the oracle (MATH.md §6, §8). */
export const likelihoodComputation = defineComputation({
  name: 'likelihood',
  title: 'log p over a 2-D grid through the probability-flow ODE, against the exact mixture density',
  params,
  result: z.object({
    extent: z.array(z.number()).length(4),
    resolution: z.number().int(),
    /** log p_0 at the grid's cells [res, res], row 0 at the bottom: the model's by the ODE, the oracle's exactly. */
    modelLogp: f32,
    oracleLogp: f32,
    /** Sum of p over the grid times the cell area, for each. */
    modelMass: z.number(),
    oracleMass: z.number(),
    /** Held-out draws [n, 2] and their mean NLL in nats with its standard error: the model's (exact divergence) and the oracle's. */
    heldOut: f32,
    modelNll: z.number(),
    modelNllSe: z.number(),
    oracleNll: z.number(),
    oracleNllSe: z.number(),
    /** The same model's NLL with Hutchinson's divergence, and the per-point difference to the exact one: mean and standard error. */
    hutchinsonNll: z.number(),
    hutchinsonGap: z.number(),
    hutchinsonGapSe: z.number(),
    probes: z.number().int(),
    steps: z.number().int(),
    nfe: z.number().int(),
    training: z.object({ steps: z.number().int(), seconds: z.number(), loss: z.number(), backend: z.string() }).nullable(),
  }),
  async run(p, ctx) {
    const R = p.resolution;
    const N = p.heldOut;
    const done = { n: 0 };
    // velocities per RK4 stage: exact 1 + 2d by central differences, Hutchinson 1 + 2 per probe; the grid's solve and the held-out
    // exact and Hutchinson solves, after the training steps
    const perStage = 5 + 5 + 1 + 2 * p.probes;
    const solveUnits = 4 * p.steps * perStage;
    const total = () => (p.model === 'flow' ? p.trainSteps : 0) + solveUnits;
    const { oracle, m, training } = await likelihoodModel(p, ctx, total, done);
    try {
      if (p.model === 'flow') done.n = p.trainSteps;
      const range = mixtureRange(smallMixture(oracle.mixture, 2), VIEW_SD);
      const span = Math.max(range.hi[0] - range.lo[0], range.hi[1] - range.lo[1]);
      const cx = (range.lo[0] + range.hi[0]) / 2;
      const cy = (range.lo[1] + range.hi[1]) / 2;
      const extent = [cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2];
      const cell = (span / R) ** 2;
      const grid = gridCentres(extent, R);
      const solve = { solver: 'rk4' as const, steps: p.steps, tMin: 0, tMax: 1, cancel: ctx.signal };
      const onGrid = await logLikelihood(m.model, batch(m.points(grid), [R * R, 2]), { ...solve, divergence: 'exact' });
      const exactGrid = oracle.logDensity(batch(grid, [R * R, 2]), 0);
      const mass = (logp: ArrayLike<number>) => {
        let s = 0;
        for (let i = 0; i < logp.length; i++) s += Math.exp(logp[i]);
        return s * cell;
      };

      // held-out draws from another stream than the training rows
      const held = oracle.sample(N, new Rng(p.seed + 7919));
      const exact = await logLikelihood(m.model, batch(m.points(held.data), [N, 2]), { ...solve, divergence: 'exact' });
      const hutch = await logLikelihood(m.model, batch(m.points(held.data), [N, 2]), { ...solve, divergence: 'hutchinson', probes: p.probes, rng: new Rng(p.seed + 104729) });
      const truth = oracle.logDensity(held, 0);
      const model = meanAndError(exact.logp.map((v) => -v));
      const ideal = meanAndError(truth.map((v) => -v));
      const gap = meanAndError(hutch.logp.map((v, i) => exact.logp[i] - v));
      return {
        extent,
        resolution: R,
        modelLogp: Float32Array.from(onGrid.logp),
        oracleLogp: Float32Array.from(exactGrid),
        modelMass: mass(onGrid.logp),
        oracleMass: mass(exactGrid),
        heldOut: Float32Array.from(held.data),
        modelNll: model.mean,
        modelNllSe: model.se,
        oracleNll: ideal.mean,
        oracleNllSe: ideal.se,
        hutchinsonNll: -hutch.meanLogp,
        hutchinsonGap: gap.mean,
        hutchinsonGapSe: gap.se,
        probes: p.probes,
        steps: p.steps,
        nfe: onGrid.nfe + exact.nfe + hutch.nfe,
        training,
      };
    } finally {
      m.dispose();
    }
  },
});
