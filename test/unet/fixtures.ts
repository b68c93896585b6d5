// Seeded tiny U-Nets, inputs, states and batches shared by the U-Net tests.
import { floatTensor, initParams, int64Tensor, type Tensor } from '../../src-core/graph';
import { buildUnet, type UnetModel, type UnetOptions } from '../../src-core/graph/families/unet';
import { Rng } from '../../src-core/rng';
import type { TrainBatch, TrainerState } from '../../src-core/training/backend';

/** The tiny U-Nets every parity test runs: plain, and with labels and attention (at the lower level, so also in the middle). */
export const UNET_CASES: readonly { readonly name: string; readonly options: UnetOptions }[] = [
  { name: 'plain 1x8x8', options: { imageShape: [1, 8, 8], channels: [8, 16], groups: 4, timeEmbedding: { kind: 'sinusoidal', dim: 8, scale: 1000 } } },
  {
    name: 'classes + attention 3x8x8',
    options: { imageShape: [3, 8, 8], channels: [8, 16], groups: 4, attentionLevels: [1], classes: 3, timeEmbedding: { kind: 'fourier', dim: 8, scale: 4 } },
  },
];

/** A built case with seeded parameters. */
export function unetCase(options: UnetOptions, seed: number): { model: UnetModel; params: Float32Array } {
  const model = buildUnet(options);
  return { model, params: initParams(model.layout, new Rng(seed)) };
}

/** Seeded model inputs for n rows (labels over the classes and the null label). */
export function unetInputs(model: UnetModel, n: number, seed: number): Record<string, Tensor> {
  const rng = new Rng(seed);
  const [c, h, w] = model.options.imageShape;
  const feeds: Record<string, Tensor> = { x: floatTensor(rng.fillNormal(new Float32Array(n * c * h * w)), [n, c, h, w]), t: floatTensor(rng.fillUniform(new Float32Array(n)), [n]) };
  if (model.nullClass !== undefined) feeds.y = int64Tensor(Array.from({ length: n }, (_, i) => i % (model.nullClass! + 1)), [n]);
  return feeds;
}

/** A mid-run state (step 9, non-zero moments) so Adam's update is not just sign(g). */
export function unetState(model: UnetModel, seed: number): TrainerState {
  const rng = new Rng(seed);
  const params = initParams(model.layout, rng);
  // the zero-initialised norms and biases get small values, so their gradients are exercised away from the start
  for (let i = 0; i < params.length; i++) if (params[i] === 0) params[i] = 0.05 * rng.normal();
  const P = params.length;
  return {
    step: 9,
    params,
    m: new Float32Array(P).map(() => 0.01 * rng.normal()),
    v: new Float32Array(P).map(() => 0.005 + 0.01 * rng.uniform()),
    ema: params.map((p) => p + 0.01 * rng.normal()),
  };
}

/** A seeded training batch: x_t and targets normal, t uniform, weights in [0.5, 1.5], labels incl. the null label. */
export function unetBatch(model: UnetModel, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const [c, h, w] = model.options.imageShape;
  const d = c * h * w;
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

/** Largest |a - b| over the largest |b|: error relative to the output's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, 1e-30);
}
