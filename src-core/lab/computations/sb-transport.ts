// Lab computation 'sbTransport': SB-CFM trained at each noise level s on pairs drawn from one entropic plan, and the cost of its learned map against W2^2 as s shrinks.
import { z } from 'zod';
import { assignSquaredEuclidean } from '../../coupling/assignment';
import { samplePlanPairs } from '../../coupling/plan-sampling';
import { sinkhornAsync } from '../../coupling/sinkhorn';
import { Rng } from '../../rng';
import { defineComputation } from '../computation';
import { fitFlow, pushFlow } from '../flow-fit';
import { builtinSetSchema, drawBuiltin } from '../lab-sets';
import { mlpConfig } from '../../graph/families/mlp';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** Mean squared distance between the rows of a and b, [n, 2] each. */
function meanSquaredGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / (a.length / 2);
}

/**
 * L1 error of the plan's row sums at which Sinkhorn stops: pairs drawn for training need little precision, and at s = 0.05
 * a 1e-3 tolerance takes twenty times the sweeps (about a minute for 512 points here).
 */
const PLAN_TOLERANCE = 1e-2;

/** Rows per training step. */
const BATCH = 256;

/** Seeds of the draws, apart so no two sets share a stream. */
const SEED = { planFrom: 0, planTo: 1, fresh: 2, freshTo: 3, twin: 4, pairs: 8, train: 16 } as const;

/**
 * SB-CFM between two 2-D sets (MATH.md §4): for each s, one Sinkhorn plan (epsilon = 2 s^2) between large samples of
 * the sets, training pairs drawn from it up front, the bridge path's flow trained on them, and fresh source points pushed
 * through its ODE; their mean squared displacement against the exact OT cost W2^2 between fresh samples of the sets.
 */
export const sbTransportComputation = defineComputation({
  name: 'sbTransport',
  title: 'Schrödinger-bridge flow matching: the learned map\'s transport cost against W2^2 as s -> 0',
  params: z.strictObject({
    /** The set at t = 1 (the source the ODE starts from) and at t = 0 (where it lands). */
    from: builtinSetSchema.default({ id: 'eight-gaussians' }),
    to: builtinSetSchema.default({ id: 'two-moons' }),
    sValues: z.array(z.number().min(0.02).max(5)).min(1).max(8).default([1, 0.5, 0.2, 0.1, 0.05]),
    /** Points of each set in the one plan per s (the training pairs are drawn from it). */
    planPoints: z.number().int().min(64).max(2048).default(512),
    /** Training steps per s (batches of 256 pairs). */
    steps: z.number().int().min(25).max(20_000).default(1500),
    hidden: z.number().int().min(16).max(512).default(64),
    /** Fresh source points pushed through each trained ODE, and fresh target points for W2^2 (as many). */
    testPoints: z.number().int().min(64).max(2048).default(512),
    /** Heun steps of the ODE from t = 1 to 0. */
    odeSteps: z.number().int().min(2).max(500).default(40),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: z.object({
    sValues: z.array(z.number()),
    /** E |T(x1) - x1|^2 of each s's learned map on the fresh source points. */
    mapCost: f64,
    /** The plan's own mean pair cost sum P_ij |x_i - y_j|^2 per s (above W2^2 of the plan's samples by the entropy's spread). */
    planCost: f64,
    /**
     * Exact OT cost between the fresh source points and their own images: the least cost of any pairing of the two point
     * sets. The map's cost equals it exactly where the map is an OT map (cyclically monotone), so mapCost - mapOtCost is
     * the map's distance from optimal, free of the sampling bias an estimate of W2^2 carries.
     */
    mapOtCost: f64,
    /** Exact OT cost between each s's images and the fresh target points: near W2^2 of two samples of one set where the map lands on the target. */
    landing: f64,
    /** Exact OT cost between the fresh source points and as many fresh target points (an estimate of W2^2 from above). */
    w2Squared: z.number(),
    /** Exact OT cost between two fresh samples of the target set: what `landing` reads for a perfect map. */
    targetNoise: z.number(),
    /** Exact OT cost between the two plan samples (the s -> 0 limit of planCost). */
    planW2Squared: z.number(),
    /** The fresh source points [testPoints, 2], their images under each s's map [S, testPoints, 2], and the fresh target points. */
    source: f32,
    pushed: f32,
    target: f32,
    /** Smoothed training loss at the end and seconds of training per s. */
    loss: f64,
    seconds: f64,
    sinkhorn: z.array(z.object({ iterations: z.number().int(), marginalError: z.number(), converged: z.boolean() })),
    steps: z.number().int(),
    backend: z.string(),
  }),
  async run(p, ctx) {
    const S = p.sValues.length;
    const n = p.planPoints;
    const m = p.testPoints;
    const a = drawBuiltin(p.from, n, p.seed * 32 + SEED.planFrom);
    const b = drawBuiltin(p.to, n, p.seed * 32 + SEED.planTo);
    const source = drawBuiltin(p.from, m, p.seed * 32 + SEED.fresh);
    const target = drawBuiltin(p.to, m, p.seed * 32 + SEED.freshTo);
    const targetTwin = drawBuiltin(p.to, m, p.seed * 32 + SEED.twin);
    // progress in training steps, with the plan and the push each counted as a share of a training run
    const share = Math.max(1, Math.round(p.steps / 10));
    const perS = p.steps + 2 * share;
    const total = S * perS + 2 * share;
    await ctx.progress(0, total);
    const w2Squared = assignSquaredEuclidean({ data: source, shape: [m, 2] }, { data: target, shape: [m, 2] }).cost / m;
    const targetNoise = assignSquaredEuclidean({ data: targetTwin, shape: [m, 2] }, { data: target, shape: [m, 2] }).cost / m;
    const planW2Squared = assignSquaredEuclidean({ data: a, shape: [n, 2] }, { data: b, shape: [n, 2] }).cost / n;
    await ctx.progress(2 * share, total);
    const mapCost = new Float64Array(S);
    const landing = new Float64Array(S);
    const mapOtCost = new Float64Array(S);
    const planCost = new Float64Array(S);
    const loss = new Float64Array(S);
    const seconds = new Float64Array(S);
    const pushed = new Float32Array(S * m * 2);
    const diagnostics: { iterations: number; marginalError: number; converged: boolean }[] = [];
    let backend = '';
    for (let k = 0; k < S; k++) {
      const s = p.sValues[k];
      const base = 2 * share + k * perS;
      // one plan for the whole run at this s: Sinkhorn per batch is far too slow at small s
      const plan = await sinkhornAsync({ data: b, shape: [n, 2] }, { data: a, shape: [n, 2] }, { epsilon: 2 * s * s, tolerance: PLAN_TOLERANCE, maxIterations: 20_000, signal: ctx.signal, turn: () => ctx.progress(base, total) });
      planCost[k] = plan.cost;
      diagnostics.push({ iterations: plan.iterations, marginalError: plan.marginalError, converged: plan.converged });
      await ctx.progress(base + share, total);
      // every training pair drawn at once from the plan (rows are points of `to`, t = 0; columns points of `from`, t = 1)
      const drawn = samplePlanPairs(plan.plan, n, n, p.steps * BATCH, new Rng(p.seed * 32 + SEED.pairs + k));
      let next = 0;
      const flow = await fitFlow({
        config: {
          data: { source: 'builtin', id: p.to.id },
          model: mlpConfig([p.hidden, p.hidden, p.hidden]),
          coupling: { schrodinger: s },
          steps: p.steps,
          batchSize: BATCH,
          // a short run: the usual 0.999 would average in weights from its first steps
          emaDecay: 0.99,
          seed: p.seed * 32 + SEED.train + k,
        },
        data: { data: b, rowSize: 2 },
        source: { data: a, rowSize: 2 },
        pairs: (count, x0, x1) => {
          for (let r = 0; r < count; r++, next = (next + 1) % drawn.rows.length) {
            const i = drawn.rows[next];
            const j = drawn.cols[next];
            x0[2 * r] = b[2 * i];
            x0[2 * r + 1] = b[2 * i + 1];
            x1[2 * r] = a[2 * j];
            x1[2 * r + 1] = a[2 * j + 1];
          }
        },
        backend: ctx.host.trainingBackend,
        onSteps: (done) => ctx.progress(base + share + done, total),
      });
      try {
        backend = flow.backend;
        loss[k] = flow.loss;
        seconds[k] = flow.seconds;
        const image = await pushFlow(flow.model, source, 2, p.odeSteps, 'heun', ctx.signal);
        pushed.set(image, k * m * 2);
        mapCost[k] = meanSquaredGap(image, source);
        mapOtCost[k] = assignSquaredEuclidean({ data: source, shape: [m, 2] }, { data: image, shape: [m, 2] }).cost / m;
        landing[k] = assignSquaredEuclidean({ data: image, shape: [m, 2] }, { data: target, shape: [m, 2] }).cost / m;
      } finally {
        flow.dispose();
      }
      await ctx.progress(base + perS, total);
    }
    return { sValues: [...p.sValues], mapCost, mapOtCost, landing, planCost, w2Squared, targetNoise, planW2Squared, source, pushed, target, loss, seconds, sinkhorn: diagnostics, steps: p.steps, backend };
  },
});
