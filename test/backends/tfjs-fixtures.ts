// Shared fixtures of the tfjs backend tests: model variants, seeded batches, fresh states and the reference loss.
import { buildMlp, evaluateGraph, floatTensor, initParams, int64Tensor, type MlpModel, type Tensor } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { BackendSpec, OptimiserSettings, TrainBatch, TrainerState } from '../../src-core/training/backend';

/** The MLP variants the parity tests cover. */
export const VARIANTS: Record<string, () => MlpModel> = {
  reference: () => buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } }),
  'residual + sinusoidal': () => buildMlp({ dataDim: 2, hidden: [32, 32, 32], timeEmbedding: { kind: 'sinusoidal', dim: 16 }, residual: true }),
  'classes + fourier': () => buildMlp({ dataDim: 2, hidden: [32, 32], timeEmbedding: { kind: 'fourier', dim: 8, scale: 1 }, classes: 4, labelEmbeddingDim: 6, activation: 'tanh' }),
};

/** A small model with every kind of parameter (frozen Fourier features, a label table, a residual). */
export const smallModel = (): MlpModel =>
  buildMlp({ dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'fourier', dim: 4, scale: 0.5 }, classes: 3, labelEmbeddingDim: 3, residual: true });

/** Adam settings for the tests; override what a test needs. */
export const OPT: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.9 };

/** A fresh state: seeded parameters, zero moments, EMA equal to the parameters. */
export function freshState(model: MlpModel, seed: number): TrainerState {
  const params = initParams(model.layout, new Rng(seed));
  return { step: 0, params, m: new Float32Array(params.length), v: new Float32Array(params.length), ema: params.slice() };
}

/** A backend spec for a model. */
export function specOf(model: MlpModel, optimiser: OptimiserSettings, state: TrainerState, batchSize = 64): BackendSpec {
  return { graph: model.graph, layout: model.layout, optimiser, batchSize, state };
}

/** A seeded batch with random inputs, targets and positive weights (labels when the model takes them). */
export function randomBatch(model: MlpModel, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const classes = model.nullClass;
  return {
    n,
    xt: rng.fillNormal(new Float32Array(2 * n)),
    t: rng.fillUniform(new Float32Array(n)),
    ...(classes !== undefined ? { y: BigInt64Array.from({ length: n }, () => BigInt(rng.int(classes + 1))) } : {}),
    target: rng.fillNormal(new Float32Array(2 * n)),
    weight: rng.fillUniform(new Float32Array(n), 0.5, 1.5),
  };
}

/** The graph's inputs as reference tensors. */
export function referenceInputs(x: Float32Array, t: Float32Array, y: BigInt64Array | undefined, n: number): Record<string, Tensor> {
  return { x: floatTensor(x, [n, 2]), t: floatTensor(t, [n]), ...(y ? { y: int64Tensor(y, [n]) } : {}) };
}

/** The weighted MSE of the reference evaluator's prediction, summed in float64. */
function referenceLoss(model: MlpModel, params: Float32Array, b: TrainBatch): number {
  const pred = evaluateGraph(model.graph, params, referenceInputs(b.xt, b.t, b.y, b.n)).prediction.data as Float32Array;
  const d = pred.length / b.n;
  let loss = 0;
  for (let i = 0; i < b.n; i++) {
    let row = 0;
    for (let j = 0; j < d; j++) row += (pred[i * d + j] - b.target[i * d + j]) ** 2;
    loss += (b.weight[i] * row) / d;
  }
  return loss / b.n;
}

/** The gradient of referenceLoss by central differences (frozen parameters get 0). */
export function referenceGradient(model: MlpModel, params: Float32Array, b: TrainBatch, h = 3e-3): Float64Array {
  const g = new Float64Array(params.length);
  const p = params.slice();
  for (const e of model.layout.entries) {
    if (!e.trainable) continue;
    const size = e.shape.reduce((s, v) => s * v, 1);
    for (let i = e.offset; i < e.offset + size; i++) {
      const p0 = p[i];
      p[i] = p0 + h;
      const up = p[i];
      const lp = referenceLoss(model, p, b);
      p[i] = p0 - h;
      const down = p[i];
      const lm = referenceLoss(model, p, b);
      p[i] = p0;
      g[i] = (lp - lm) / (up - down);
    }
  }
  return g;
}

/** 1 for trainable entries of the flat layout, 0 for frozen ones. */
export function trainableMask(model: MlpModel): Float32Array {
  const mask = new Float32Array(model.layout.size);
  for (const e of model.layout.entries) if (e.trainable) mask.fill(1, e.offset, e.offset + e.shape.reduce((s, v) => s * v, 1));
  return mask;
}

/** Largest |a - b| over the largest |b| (0 when both are 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
