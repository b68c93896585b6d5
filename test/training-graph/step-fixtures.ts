// Seeded models, states and batches shared by the compiled-step tests.
import { buildMlp, initParams, type MlpModel, type MlpOptions } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { OptimiserSettings, TrainBatch, TrainerState } from '../../src-core/training/backend';

/** Adam with PyTorch's defaults and lr given per step. */
export const ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.99 };

/** A step case: model options, optimiser, batch size and learning rate. */
interface StepCase {
  readonly name: string;
  readonly options: MlpOptions;
  readonly optimiser: OptimiserSettings;
  readonly n: number;
  readonly lr: number;
  /** The gradient norm exceeds the clip threshold, so clipping acts. */
  readonly clipActive?: boolean;
}

/** The reference MLP of the speed issue and two small models covering labels, sinusoidal/Fourier time, residual, clipping, L2, AdamW and a frozen parameter. */
export const STEP_CASES: readonly StepCase[] = [
  { name: 'reference MLP, Adam', options: { dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } }, optimiser: ADAM, n: 16, lr: 1e-3 },
  {
    name: 'classes + sinusoidal + residual, Adam with L2 and active clipping',
    options: { dataDim: 2, hidden: [6, 6], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, residual: true, classes: 3, labelEmbeddingDim: 3 },
    optimiser: { ...ADAM, weightDecay: 0.01, gradClip: 0.05 },
    n: 8,
    lr: 1e-2,
    clipActive: true,
  },
  {
    name: 'Fourier time (frozen) + residual, AdamW',
    options: { dataDim: 3, hidden: [5, 5], timeEmbedding: { kind: 'fourier', dim: 4, scale: 1 }, residual: true },
    optimiser: { ...ADAM, kind: 'adamw', weightDecay: 0.1, gradClip: 100 },
    n: 8,
    lr: 1e-2,
  },
];

/** A mid-run state (step 9, non-zero moments) so Adam's update is not just sign(g). */
export function midRunState(model: MlpModel, seed: number): TrainerState {
  const rng = new Rng(seed);
  const params = initParams(model.layout, rng);
  const P = params.length;
  const m = new Float32Array(P).map(() => 0.01 * rng.normal());
  const v = new Float32Array(P).map(() => 0.005 + 0.01 * rng.uniform());
  const ema = params.map((p) => p + 0.01 * rng.normal());
  return { step: 9, params, m, v, ema };
}

/** A seeded batch: x_t and targets normal, t uniform, weights in [0.5, 1.5], labels over the classes and the null label. */
export function randomBatch(model: MlpModel, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const d = model.options.dataDim;
  const y = model.nullClass === undefined ? undefined : BigInt64Array.from({ length: n }, () => BigInt(rng.int(model.nullClass! + 1)));
  return {
    n,
    xt: rng.fillNormal(new Float32Array(n * d)),
    t: rng.fillUniform(new Float32Array(n)),
    y,
    target: rng.fillNormal(new Float32Array(n * d)),
    weight: new Float32Array(n).map(() => 0.5 + rng.uniform()),
  };
}

/** Builds a case's model. */
export function caseModel(c: StepCase): MlpModel {
  return buildMlp(c.options);
}
