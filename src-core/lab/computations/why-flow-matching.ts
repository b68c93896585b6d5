// Lab computation 'whyFlowMatching': one MLP trained as a CNF by maximum likelihood (an ODE solve per step) and by flow matching (one evaluation
// per step) on the same data, budget and tfjs engine, with the held-out NLL of both measured the same way, their loss curves and samples.
import { z } from 'zod';
import { batch } from '../../batch';
import { datasetMixture } from '../../data';
import { buildMlp } from '../../graph/families/mlp/graph';
import { initParams } from '../../graph/param-layout';
import { logLikelihood } from '../../likelihood';
import { createOracle } from '../../oracle';
import { Rng } from '../../rng';
import { createSchedule } from '../../schedules';
import type { OptimiserSettings, StepResult, TrainerState } from '../../training/backend';
import { TfjsTrainer } from '../../training/tfjs';
import { owned } from '../arrays';
import { CNF_SOLVERS, CnfTrainer, cnfNfe } from '../cnf';
import { defineComputation, type LabContext } from '../computation';
import { pushFlow } from '../flow-fit';
import { builtinSetSchema, drawBuiltin } from '../lab-sets';
import { tfjsNet, velocityField, type TfjsNet } from '../tfjs-velocity';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** The two ways of training the network, in the order they run. */
const TRAININGS = ['cnf', 'fm'] as const;
type Training = (typeof TRAININGS)[number];

/** How the budget is shared: the same number of optimiser steps, or the same seconds of training each. */
const BUDGETS = ['steps', 'seconds'] as const;

const D = 2;
/** Rows of the training set drawn once (both trainings draw their batches from it). */
const TRAIN_ROWS = 4096;
/** The linear path with sigma_min = 0: p_0 is the data, p_1 = N(0, I), the path both the CNF's ODE and flow matching use. */
const LINEAR = createSchedule({ name: 'linear', sigmaMin: 0 });

const trainingResult = z.object({
  /** Optimiser steps taken and the seconds they took (measurements excluded). */
  steps: z.number().int(),
  seconds: z.number(),
  /** Network evaluations per point in one training step: solver stages x solver steps x d for the CNF, 1 for flow matching. */
  nfePerStep: z.number().int(),
  /** The training loss at each step (NLL in nats for the CNF, the velocity regression for flow matching) and the training seconds it was reached at. */
  loss: f64,
  time: f64,
  /** Held-out NLL (nats per point, RK4 with the exact divergence) at checkpoints: the step and training seconds of each. */
  checkStep: f64,
  checkTime: f64,
  nll: f64,
  /** Where the trained ODE carries the shared noise from t = 1 to t = 0, [samples, 2]. */
  samples: f32,
});

/** Both trainings and the measurements that compare them. */
const resultSchema = z.object({
  cnf: trainingResult,
  fm: trainingResult,
  /** The held-out points [n, 2] both NLLs are measured on (the pictures draw them). */
  heldOut: f32,
  /** The NLL of the held-out points under the set's exact law where it is a Gaussian mixture, else null: the floor either training can reach. */
  exactNll: z.number().nullable(),
  /** The tfjs backend both trained on, in words. */
  backend: z.string(),
  /** The square the pictures show: [xMin, xMax, yMin, yMax]. */
  extent: z.array(z.number()).length(4),
});

type TrainingResult = z.output<typeof trainingResult>;

/** One training step on the rows at `rows`: the CNF's maximum-likelihood step or flow matching's regression step. */
type Stepper = (rows: Float32Array, n: number, rng: Rng, lr: number) => Promise<StepResult>;

/** The flow-matching batch of the linear path: x_t = (1 - t) x0 + t x1 with x1 ~ N(0, I), t ~ U(0, 1), target x1 - x0 (MATH.md §3). */
function flowMatchingStepper(trainer: TfjsTrainer): Stepper {
  return (x0, n, rng, lr) => {
    const xt = new Float32Array(n * D);
    const t = new Float32Array(n);
    const target = new Float32Array(n * D);
    for (let i = 0; i < n; i++) {
      t[i] = rng.uniform();
      for (let j = 0; j < D; j++) {
        const x1 = rng.normal();
        xt[i * D + j] = (1 - t[i]) * x0[i * D + j] + t[i] * x1;
        target[i * D + j] = x1 - x0[i * D + j];
      }
    }
    return trainer.step({ n, xt, t, target, weight: new Float32Array(n).fill(1) }, lr);
  };
}

/** Held-out NLL in nats per point of a network's weights: log p_0 by RK4 from t = 0 to 1 with the exact divergence (d VJPs per stage). */
export async function heldOutNll(net: TfjsNet, weights: Float32Array, x: Float32Array, steps: number, ctx: LabContext): Promise<number> {
  const field = velocityField(net, weights, 'velocity', LINEAR);
  try {
    const r = await logLikelihood(field.model, batch(x, [x.length / D, D]), { solver: 'rk4', steps, tMin: 0, gradient: field.vjp, cancel: ctx.signal });
    return r.nats;
  } finally {
    field.dispose();
  }
}

export const whyFlowMatchingComputation = defineComputation({
  name: 'whyFlowMatching',
  title: 'One network trained as a CNF by maximum likelihood and by flow matching, on the same data and budget',
  params: z.strictObject({
    set: builtinSetSchema.default({ id: 'eight-gaussians' }),
    /** Width of the MLP's two hidden layers (t enters raw, beside x). */
    width: z.number().int().min(4).max(256).default(32),
    budget: z.enum(BUDGETS).default('steps'),
    /** Optimiser steps of each training (budget 'steps'). */
    steps: z.number().int().min(1).max(20_000).default(100),
    /** Training seconds of each (budget 'seconds'). */
    seconds: z.number().min(0.5).max(600).default(8),
    batchSize: z.number().int().min(8).max(1024).default(64),
    lr: z.number().positive().max(1).default(5e-3),
    /** The fixed-step solver the CNF's loss is differentiated through, and its steps from t = 0 to 1. */
    solver: z.enum(CNF_SOLVERS).default('rk4'),
    solverSteps: z.number().int().min(1).max(64).default(3),
    /** RK4 steps of the held-out NLL measurement and of the samples' ODE (the same for both trainings). */
    evalSteps: z.number().int().min(2).max(200).default(16),
    heldOut: z.number().int().min(50).max(5000).default(400),
    /** Held-out NLL measurements after the start, spread over the budget. */
    checkpoints: z.number().int().min(1).max(40).default(5),
    samples: z.number().int().min(10).max(5000).default(600),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  }),
  result: resultSchema,
  async run(p, ctx) {
    const tensors = await ctx.host.tensors();
    const train = drawBuiltin(p.set, TRAIN_ROWS, p.seed);
    const held = drawBuiltin(p.set, p.heldOut, p.seed + 1);
    const mlp = buildMlp({ dataDim: D, hidden: [p.width, p.width], timeEmbedding: { kind: 'raw' }, activation: 'silu' });
    const init = initParams(mlp.layout, new Rng(p.seed + 2));
    const zeros = () => new Float32Array(init.length);
    const state: TrainerState = { step: 0, params: init, m: zeros(), v: zeros(), ema: init.slice() };
    const opt: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.99 };
    const solve = { solver: p.solver, steps: p.solverSteps };
    const noiseRng = new Rng(p.seed + 3);
    const noise = Float32Array.from({ length: p.samples * D }, () => noiseRng.normal());
    const net = tfjsNet(mlp.graph);
    let cnf: CnfTrainer | null = null;
    let fm: TfjsTrainer | null = null;
    try {
      cnf = new CnfTrainer(net, opt, solve, state);
      fm = new TfjsTrainer({ graph: mlp.graph, layout: mlp.layout, optimiser: opt, batchSize: p.batchSize, state }, { name: tensors.name, device: tensors.device });
      const [c, f] = [cnf, fm];
      const steppers: Record<Training, { step: Stepper; read: () => Promise<TrainerState>; nfe: number }> = {
        cnf: { step: (x, n, _rng, lr) => c.step(x, n, lr), read: () => c.readState(), nfe: cnfNfe(solve, D) },
        fm: { step: flowMatchingStepper(f), read: () => f.readState(), nfe: 1 },
      };
      const total = p.budget === 'steps' ? p.steps : p.seconds;
      const out = {} as Record<Training, TrainingResult>;
      for (const [k, name] of TRAININGS.entries()) {
        const s = steppers[name];
        out[name] = await race(s, p, train, held, net, noise, ctx, (done) => ctx.progress(k * total + done, TRAININGS.length * total));
      }
      const mixture = datasetMixture(p.set.id, { ...(p.set.params ?? {}), ...(p.set.noise !== undefined ? { noise: p.set.noise } : {}), ...(p.set.mixture !== undefined ? { mixture: p.set.mixture } : {}) });
      const exactNll = mixture ? -mean(createOracle(mixture, LINEAR).logDensity(batch(Float64Array.from(held), [p.heldOut, D]), 0)) : null;
      return { ...out, heldOut: held, exactNll, backend: `tfjs ${tensors.name} on ${tensors.device}`, extent: squareAround(held) };
    } finally {
      cnf?.dispose();
      fm?.dispose();
      net.dispose();
    }
  },
});

type Params = z.output<typeof whyFlowMatchingComputation.params>;

/**
 * Runs one training under the budget: batches of the training rows in the same order for both (same seed), the clock
 * stopped while the held-out NLL is measured at the start and at `checkpoints` points spread over the budget.
 */
async function race(
  s: { step: Stepper; read: () => Promise<TrainerState>; nfe: number },
  p: Params,
  train: Float32Array,
  held: Float32Array,
  net: TfjsNet,
  noise: Float32Array,
  ctx: LabContext,
  progress: (done: number) => Promise<void>,
): Promise<TrainingResult> {
  // the same rows in the same order for both trainings; flow matching's noise and times come from a stream of their own
  const rowRng = new Rng(p.seed + 4);
  const pathRng = new Rng(p.seed + 5);
  const byTime = p.budget === 'seconds';
  const limit = byTime ? p.seconds : p.steps;
  const loss: number[] = [];
  const time: number[] = [];
  const checks = { step: [] as number[], time: [] as number[], nll: [] as number[] };
  const measure = async (step: number, seconds: number) => {
    const w = (await s.read()).params;
    checks.step.push(step);
    checks.time.push(seconds);
    checks.nll.push(await heldOutNll(net, w, held, p.evalSteps, ctx));
  };
  await measure(0, 0);
  const rows = new Float32Array(p.batchSize * D);
  let seconds = 0;
  let next = 1;
  for (let step = 1; ; step++) {
    for (let i = 0; i < p.batchSize; i++) {
      const r = rowRng.int(TRAIN_ROWS);
      rows[i * D] = train[r * D];
      rows[i * D + 1] = train[r * D + 1];
    }
    const started = performance.now();
    const r = await s.step(rows, p.batchSize, pathRng, p.lr);
    seconds += (performance.now() - started) / 1000;
    loss.push(r.loss);
    time.push(seconds);
    const spent = byTime ? seconds : step;
    const done = spent >= limit;
    if (done || spent >= (next * limit) / p.checkpoints) {
      await measure(step, seconds);
      while (next <= p.checkpoints && spent >= (next * limit) / p.checkpoints) next++;
    }
    await progress(Math.min(spent, limit));
    if (done) break;
  }
  const field = velocityField(net, (await s.read()).params, 'velocity', LINEAR);
  let samples: Float32Array;
  try {
    samples = await pushFlow(field.model, noise, D, p.evalSteps, 'rk4', ctx.signal);
  } finally {
    field.dispose();
  }
  return {
    steps: loss.length,
    seconds,
    nfePerStep: s.nfe,
    loss: Float64Array.from(loss),
    time: Float64Array.from(time),
    checkStep: Float64Array.from(checks.step),
    checkTime: Float64Array.from(checks.time),
    nll: Float64Array.from(checks.nll),
    samples: owned(samples),
  };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** A square around the points with a tenth of room on each side. */
function squareAround(x: Float32Array): number[] {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < x.length; i++) {
    lo[i % D] = Math.min(lo[i % D], x[i]);
    hi[i % D] = Math.max(hi[i % D], x[i]);
  }
  const half = (Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2) * 1.2;
  const c = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
  return [c[0] - half, c[0] + half, c[1] - half, c[1] + half];
}
