// Lab computation 'reflow': a flow trained from N(0, I) noise to a built-in 2-D set, then retrained round after round on pairs (noise, where the previous
// flow's ODE carries it), with each flow's path straightness and its few-step Euler quality (sliced W2, MMD against fresh data).
import { z } from 'zod';
import { batch } from '../../batch';
import type { Model } from '../../model';
import { energyDistance, mmd2, resolveBandwidths, slicedW2Squared } from '../../metrics';
import { Rng } from '../../rng';
import { owned } from '../arrays';
import { defineComputation, type LabContext } from '../computation';
import { fitFlow, flowStraightness, pushFlow } from '../flow-fit';
import { builtinSetSchema, drawBuiltin } from '../lab-sets';
import { mlpConfig } from '../../graph/families/mlp';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** The points live in the plane. */
const D = 2;
/** Directions of the sliced W2 estimate (the same for every flow and step count). */
const PROJECTIONS = 64;
/** Progress units one flow's evaluation counts for, beside its training steps. */
const EVAL_UNITS = 40;
/** Seeds of the draws apart from each flow's own training seed, so no two draws share a stream. */
const SEED = { data: 0, reference: 1, floor: 2, noise: 3, directions: 4, pairs: 100 } as const;

/** Euler paths of the flow's ODE from x1 at t = 1 to t = 0: every state, [steps + 1, n, 2]. */
async function eulerPaths(model: Model, x1: Float32Array, steps: number): Promise<Float32Array> {
  const n = x1.length / D;
  const out = new Float32Array((steps + 1) * n * D);
  let x = Float32Array.from(x1);
  out.set(x, 0);
  for (let k = 0; k < steps; k++) {
    const t = 1 - k / steps;
    const u = await model.predict(batch(x, [n, D]), t);
    const next = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) next[i] = x[i] - u[i] / steps;
    out.set(next, (k + 1) * n * D);
    x = next;
  }
  return out;
}

/** n draws of N(0, I) in the plane. */
function noise(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n * D }, () => rng.normal());
}

/** The square [xMin, xMax, yMin, yMax] holding the data's points and the bulk of the noise, with a margin. */
function viewOf(data: Float32Array): number[] {
  const lo = [-2.5, -2.5];
  const hi = [2.5, 2.5];
  for (let i = 0; i < data.length; i++) {
    const a = i % D;
    lo[a] = Math.min(lo[a], data[i]);
    hi[a] = Math.max(hi[a], data[i]);
  }
  const span = 1.1 * Math.max(hi[0] - lo[0], hi[1] - lo[1]);
  const cx = (lo[0] + hi[0]) / 2;
  const cy = (lo[1] + hi[1]) / 2;
  return [cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2];
}

/** How far points are from the reference draws: sliced W2 (the root of its square) and MMD^2 at fixed bandwidths. */
function quality(points: Float32Array, reference: Float32Array, bandwidths: readonly number[], seed: number): { slicedW2: number; mmd2: number } {
  const x = batch(Float64Array.from(points), [points.length / D, D]);
  const y = batch(Float64Array.from(reference), [reference.length / D, D]);
  return { slicedW2: Math.sqrt(Math.max(0, slicedW2Squared(x, y, { projections: PROJECTIONS, rng: new Rng(seed) }))), mmd2: mmd2(x, y, { bandwidths }) };
}

/** Rectified flow by reflow (MATH.md §9): flow 1 trains on independent pairs, flow k + 1 on the pairs (ODE_k(z), z) of flow k. */
export const reflowComputation = defineComputation({
  name: 'reflow',
  title: 'Reflow straightens a flow: retrained on its own ODE pairs, it needs fewer Euler steps',
  params: z.strictObject({
    set: builtinSetSchema.default({ id: 'eight-gaussians' }),
    /** Reflow rounds: flows 1 to rounds + 1 are trained. */
    rounds: z.number().int().min(1).max(3).default(2),
    stepsPerRound: z.number().int().min(50).max(50_000).default(800),
    batchSize: z.number().int().min(32).max(2048).default(256),
    /** Width of each of the MLP's three hidden layers. */
    width: z.number().int().min(16).max(512).default(128),
    lr: z.number().positive().max(0.1).default(5e-3),
    /** Rows of the set the first flow trains on. */
    points: z.number().int().min(256).max(100_000).default(8000),
    /** Pairs each round draws from its flow, and the RK4 steps that solve each pair's ODE. */
    pairs: z.number().int().min(256).max(100_000).default(4096),
    pairSteps: z.number().int().min(4).max(400).default(24),
    /** Noise draws every flow is evaluated on, and fresh data draws it is compared with. */
    samples: z.number().int().min(100).max(5000).default(800),
    /** Paths drawn, and the Euler steps of the fine solve behind the paths and the straightness. */
    paths: z.number().int().min(1).max(400).default(48),
    pathSteps: z.number().int().min(4).max(400).default(32),
    eulerSteps: z.array(z.number().int().min(1).max(256)).min(1).max(8).default([1, 2, 4, 8]),
    seed: z.number().int().min(0).max(2 ** 31).default(0),
  }),
  result: z.object({
    /** [xMin, xMax, yMin, yMax] of the pictures. */
    extent: z.array(z.number()).length(4),
    eulerSteps: z.array(z.number().int()),
    /** Fresh draws of the set [samples, 2] that quality is measured against. */
    reference: f32,
    /** Each flow's Euler samples from the same noise [flows, eulerSteps, samples, 2]. */
    samples: f32,
    /** Each flow's fine Euler paths from the first pathCount noise draws [flows, pathSteps + 1, pathCount, 2], t = 1 first. */
    paths: f32,
    pathCount: z.number().int(),
    /** E ∫ ||u(x_t, t) − (x1 − x0)||^2 dt of each flow's own paths [flows]. */
    straightness: f64,
    /** Sliced W2 and MMD^2 of each flow's samples against the reference [flows, eulerSteps]. */
    slicedW2: f64,
    mmd2: f64,
    /** The same two measures between two fresh draws of the set: the floor that sampling noise alone leaves. */
    floor: z.object({ slicedW2: z.number(), mmd2: z.number() }),
    /** Energy distance to the reference of each round's pair ends: the noise z and where the flow carried it [rounds]. */
    pairNoiseEnergy: f64,
    pairDataEnergy: f64,
    /** Each flow's smoothed final training loss and training seconds [flows]. */
    loss: f64,
    trainSeconds: f64,
    backend: z.string(),
  }),
  async run(p, ctx: LabContext) {
    const flows = p.rounds + 1;
    const E = p.eulerSteps.length;
    const n = p.samples;
    const P = Math.min(p.paths, n);
    const data = drawBuiltin(p.set, p.points, p.seed * 1000 + SEED.data);
    const reference = drawBuiltin(p.set, n, p.seed * 1000 + SEED.reference);
    const floorDraw = drawBuiltin(p.set, n, p.seed * 1000 + SEED.floor);
    const bandwidths = Array.from(resolveBandwidths(batch(Float64Array.from(reference), [n, D]), batch(Float64Array.from(floorDraw), [n, D])));
    const directionsSeed = p.seed * 1000 + SEED.directions;
    const x1 = noise(n, new Rng(p.seed * 1000 + SEED.noise));

    const samples = new Float32Array(flows * E * n * D);
    const paths = new Float32Array(flows * (p.pathSteps + 1) * P * D);
    const straightness = new Float64Array(flows);
    const slicedW2 = new Float64Array(flows * E);
    const mmd = new Float64Array(flows * E);
    const pairNoiseEnergy = new Float64Array(p.rounds);
    const pairDataEnergy = new Float64Array(p.rounds);
    const loss = new Float64Array(flows);
    const trainSeconds = new Float64Array(flows);
    let backend = '';

    const perFlow = p.stepsPerRound + EVAL_UNITS;
    const total = flows * perFlow + p.rounds * EVAL_UNITS;
    let pairs: { x0: Float32Array; x1: Float32Array } | null = null;
    for (let f = 0; f < flows; f++) {
      const base = f * (perFlow + EVAL_UNITS);
      const given = pairs;
      const flow = await fitFlow({
        config: {
          data: { source: 'builtin', id: p.set.id },
          model: mlpConfig([p.width, p.width, p.width]),
          optimiser: { kind: 'adam', lr: p.lr, warmupSteps: Math.min(100, Math.floor(p.stepsPerRound / 10)), decay: 'cosine', gradClip: 1 },
          emaDecay: 0.995,
          steps: p.stepsPerRound,
          batchSize: p.batchSize,
          seed: p.seed * 1000 + 10 + f,
        },
        data: { data, rowSize: D },
        // reflow: each batch is rows of the previous flow's pairs, never re-paired
        ...(given
          ? {
              pairs: (count: number, x0: Float64Array, xn: Float64Array, rng: Rng) => {
                const m = given.x0.length / D;
                for (let r = 0; r < count; r++) {
                  const j = rng.int(m);
                  for (let a = 0; a < D; a++) {
                    x0[r * D + a] = given.x0[j * D + a];
                    xn[r * D + a] = given.x1[j * D + a];
                  }
                }
              },
            }
          : {}),
        backend: ctx.host.trainingBackend,
        onSteps: (done) => ctx.progress(base + done, total),
      });
      try {
        backend = flow.backend;
        loss[f] = flow.loss;
        trainSeconds[f] = flow.seconds;
        for (let e = 0; e < E; e++) {
          const x0 = await pushFlow(flow.model, x1, D, p.eulerSteps[e], 'euler', ctx.signal);
          samples.set(x0, (f * E + e) * n * D);
          const q = quality(x0, reference, bandwidths, directionsSeed);
          slicedW2[f * E + e] = q.slicedW2;
          mmd[f * E + e] = q.mmd2;
          await ctx.progress(base + p.stepsPerRound + ((e + 1) * EVAL_UNITS) / (2 * E), total);
        }
        straightness[f] = await flowStraightness(flow.model, x1, D, p.pathSteps);
        const all = await eulerPaths(flow.model, x1.subarray(0, P * D), p.pathSteps);
        paths.set(all, f * (p.pathSteps + 1) * P * D);
        await ctx.progress(base + perFlow, total);
        if (f + 1 < flows) {
          // the next round's pairs: fresh noise z and where this flow's ODE carries it, solved finely
          const z = noise(p.pairs, new Rng(p.seed * 1000 + SEED.pairs + f));
          const x0 = await pushFlow(flow.model, z, D, p.pairSteps, 'rk4', ctx.signal);
          const m = Math.min(n, p.pairs);
          const ref = batch(Float64Array.from(reference), [n, D]);
          pairNoiseEnergy[f] = energyDistance(batch(Float64Array.from(z.subarray(0, m * D)), [m, D]), ref);
          pairDataEnergy[f] = energyDistance(batch(Float64Array.from(x0.subarray(0, m * D)), [m, D]), ref);
          pairs = { x0, x1: z };
          await ctx.progress(base + perFlow + EVAL_UNITS, total);
        }
      } finally {
        flow.dispose();
      }
    }
    const floor = quality(floorDraw, reference, bandwidths, directionsSeed);
    return {
      extent: viewOf(reference),
      eulerSteps: [...p.eulerSteps],
      reference: owned(reference),
      samples,
      paths,
      pathCount: P,
      straightness,
      slicedW2,
      mmd2: mmd,
      floor,
      pairNoiseEnergy,
      pairDataEnergy,
      loss,
      trainSeconds,
      backend,
    };
  },
});
