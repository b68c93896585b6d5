// Independent float64 references for a training step: the loss, its gradient (central differences or a hand-written MLP backward) and Adam written out.
import { evaluateGraph, floatTensor, int64Tensor, sizeOf, type MlpModel, type ParamLayout, type Tensor } from '../../src-core/graph';
import type { OptimiserSettings, TrainBatch, TrainerState } from '../../src-core/training/backend';

/** The model's inputs for a batch, as the reference evaluator takes them. */
function batchFeeds(model: MlpModel, b: TrainBatch): Record<string, Tensor> {
  const d = model.options.dataDim;
  const feeds: Record<string, Tensor> = { x: floatTensor(b.xt, [b.n, d]), t: floatTensor(b.t, [b.n]) };
  if (b.y) feeds.y = int64Tensor(b.y, [b.n]);
  return feeds;
}

/** (1/n) sum_i w_i mean_j (pred_ij - target_ij)^2 in float64. */
function weightedLoss(pred: ArrayLike<number>, b: TrainBatch): number {
  const d = pred.length / b.n;
  let s = 0;
  for (let i = 0; i < b.n; i++) {
    let row = 0;
    for (let j = 0; j < d; j++) row += (pred[i * d + j] - b.target[i * d + j]) ** 2;
    s += (b.weight[i] * row) / d;
  }
  return s / b.n;
}

/** The loss of the reference evaluator's prediction. */
export function evaluatorLoss(model: MlpModel, params: Float32Array, b: TrainBatch): number {
  return weightedLoss(evaluateGraph(model.graph, params, batchFeeds(model, b)).prediction.data as Float32Array, b);
}

/** Central differences of evaluatorLoss for the listed coordinates (all by default); frozen ones get 0. */
export function centralGradient(model: MlpModel, params: Float32Array, b: TrainBatch, h: number, coords?: readonly number[]): Float64Array {
  const g = new Float64Array(params.length);
  const frozen = new Set<number>();
  for (const e of model.layout.entries) if (!e.trainable) for (let i = 0; i < sizeOf(e.shape); i++) frozen.add(e.offset + i);
  const p = params.slice();
  for (const i of coords ?? Array.from(params, (_, k) => k)) {
    if (frozen.has(i)) continue;
    const x = params[i];
    p[i] = x + h;
    const up = p[i];
    const lp = evaluatorLoss(model, p, b);
    p[i] = x - h;
    const down = p[i];
    const lm = evaluatorLoss(model, p, b);
    p[i] = x;
    g[i] = (lp - lm) / (up - down);
  }
  return g;
}

const silu = (z: number) => z / (1 + Math.exp(-z));
const siluGrad = (z: number) => {
  const s = 1 / (1 + Math.exp(-z));
  return s * (1 + z * (1 - s));
};

/** Exact float64 gradient of the loss for a plain MLP (scalar time, SiLU, no residual, no labels), by a hand-written backward pass. */
export function plainMlpGradient(model: MlpModel, params: Float32Array, b: TrainBatch): Float64Array {
  const { layout } = model;
  const view = (name: string) => {
    const e = layout.entries.find((x) => x.name === name);
    if (!e) throw new Error(`no ${name}`);
    return { offset: e.offset, rows: e.shape[0], cols: e.shape[1] ?? 1 };
  };
  const d = model.options.dataDim;
  const layers = [...model.options.hidden.map((_, i) => `layer${i}`), 'out'];
  const g = new Float64Array(params.length);
  for (let r = 0; r < b.n; r++) {
    const acts: Float64Array[] = [Float64Array.from([...Array.from(b.xt.subarray(r * d, r * d + d)), b.t[r]])];
    const pre: Float64Array[] = [];
    layers.forEach((name, li) => {
      const w = view(`${name}.weight`);
      const bias = view(`${name}.bias`).offset;
      const z = new Float64Array(w.cols);
      for (let j = 0; j < w.cols; j++) {
        let s = params[bias + j];
        for (let i = 0; i < w.rows; i++) s += acts[li][i] * params[w.offset + i * w.cols + j];
        z[j] = s;
      }
      pre.push(z);
      acts.push(name === 'out' ? z : z.map(silu));
    });
    const out = acts[acts.length - 1];
    let delta = out.map((o, j) => (2 * b.weight[r] * (o - b.target[r * d + j])) / (d * b.n));
    for (let li = layers.length - 1; li >= 0; li--) {
      const w = view(`${layers[li]}.weight`);
      const bias = view(`${layers[li]}.bias`).offset;
      const below = new Float64Array(w.rows);
      for (let j = 0; j < w.cols; j++) {
        g[bias + j] += delta[j];
        for (let i = 0; i < w.rows; i++) {
          g[w.offset + i * w.cols + j] += acts[li][i] * delta[j];
          below[i] += params[w.offset + i * w.cols + j] * delta[j];
        }
      }
      if (li > 0) delta = below.map((v, i) => v * siluGrad(pre[li - 1][i]));
    }
  }
  return g;
}

/** The expected state after one step: PyTorch's clip_grad_norm_ then Adam/AdamW with bias correction, then EMA, all in float64. */
export function referenceStep(s: OptimiserSettings, layout: ParamLayout, state: TrainerState, grad: Float64Array, lr: number) {
  const k = state.step + 1;
  const bc1 = 1 - s.beta1 ** k;
  const bc2 = 1 - s.beta2 ** k;
  const gradNorm = Math.sqrt(grad.reduce((a, v) => a + v * v, 0));
  const coef = s.gradClip === null ? 1 : Math.min(1, s.gradClip / (gradNorm + 1e-6));
  const trainable = new Uint8Array(layout.size);
  for (const e of layout.entries) if (e.trainable) trainable.fill(1, e.offset, e.offset + sizeOf(e.shape));
  const P = layout.size;
  const out = { params: new Float64Array(P), m: new Float64Array(P), v: new Float64Array(P), ema: new Float64Array(P), gradNorm };
  for (let i = 0; i < P; i++) {
    const p = state.params[i];
    let g = grad[i] * coef;
    if (s.kind === 'adam' && trainable[i]) g += s.weightDecay * p;
    const m = s.beta1 * state.m[i] + (1 - s.beta1) * g;
    const v = s.beta2 * state.v[i] + (1 - s.beta2) * g * g;
    let next = p;
    if (trainable[i]) {
      if (s.kind === 'adamw') next -= lr * s.weightDecay * p;
      next -= (lr * (m / bc1)) / (Math.sqrt(v / bc2) + s.eps);
    }
    out.params[i] = next;
    out.m[i] = m;
    out.v[i] = v;
    out.ema[i] = s.emaDecay * state.ema[i] + (1 - s.emaDecay) * next;
  }
  return out;
}

/** Largest |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
