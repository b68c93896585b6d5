// One optimisation step in tfjs ops on flat buffers: weighted MSE, autodiff gradients, global-norm clip, Adam/AdamW, EMA.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient rules; the union package would, the core package needs this import
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { StudioError } from '../../errors';
import type { Graph } from '../../graph/types';
import type { ParamLayout } from '../../graph/param-layout';
import type { OptimiserSettings } from '../backend';
import type { TfjsGraph } from './graph-to-tfjs';

/** Parameters, Adam moments and EMA, each one flat tensor in the shared layout. */
export interface FlatState {
  readonly params: tf.Tensor1D;
  readonly m: tf.Tensor1D;
  readonly v: tf.Tensor1D;
  readonly ema: tf.Tensor1D;
}

/** One parameter's place in the flat buffer and whether training moves it. */
export interface FlatSegment {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

/** The graph's parameters in buffer order; throws unless they tile the layout exactly (no gaps, no overlaps). */
export function flatSegments(graph: Graph, layout: ParamLayout): FlatSegment[] {
  if (layout.size !== graph.paramSize) throw new StudioError('invalid-shape', `layout holds ${layout.size} values, graph '${graph.name}' needs ${graph.paramSize}`);
  const trainable = new Map(layout.entries.map((e) => [e.name, e.trainable]));
  const segs = [...graph.params]
    .sort((a, b) => a.offset - b.offset)
    .map((p) => ({ name: p.name, offset: p.offset, size: p.shape.reduce((s, d) => s * d, 1), shape: p.shape, trainable: trainable.get(p.name) ?? true }));
  let end = 0;
  for (const s of segs) {
    if (s.offset !== end) throw new StudioError('invalid-shape', `parameter '${s.name}' starts at ${s.offset}, expected ${end}: the layout must be contiguous`);
    end += s.size;
  }
  if (end !== graph.paramSize) throw new StudioError('invalid-shape', `parameters cover ${end} of ${graph.paramSize} values`);
  return segs;
}

/** A step's per-row tensors (created by the caller inside the same tidy). */
interface StepTensors {
  readonly inputs: Readonly<Record<string, tf.Tensor>>;
  /** Same shape as the prediction. */
  readonly target: tf.Tensor;
  /** [n]. */
  readonly weight: tf.Tensor1D;
  readonly n: number;
}

/** Step constants computed in float64 outside the graph: learning rate and Adam's bias corrections for this step. */
interface StepScalars {
  readonly lr: number;
  /** 1 - beta1^k and 1 - beta2^k for the k-th step (k counts from 1). */
  readonly bc1: number;
  readonly bc2: number;
}

/** loss = (1/n) sum_i w_i mean_j (pred_ij - target_ij)^2. */
function weightedMse(pred: tf.Tensor, target: tf.Tensor, weight: tf.Tensor1D, n: number): tf.Scalar {
  const rowMean = tf.mean(tf.reshape(tf.squaredDifference(pred, target), [n, -1]), 1);
  return tf.div(tf.sum(tf.mul(rowMean, weight)), n);
}

/**
 * One step (call inside tf.tidy): returns the new state and [loss, gradNorm] as one tensor so a single read reports both.
 * Clipping scales the gradient by min(1, clip / (norm + 1e-6)); Adam's L2 term is added after clipping; AdamW decays
 * p by lr * weightDecay; frozen parameters get a zero gradient and no decay.
 */
export function flatTrainStep(
  model: TfjsGraph,
  segments: readonly FlatSegment[],
  state: FlatState,
  batch: StepTensors,
  opt: OptimiserSettings,
  k: StepScalars,
  trainableMask: tf.Tensor1D | null,
): { state: FlatState; lossAndNorm: tf.Tensor1D } {
  const views = segments.map((s) => tf.reshape(tf.slice(state.params, s.offset, s.size), [...s.shape]));
  const trainIdx = segments.flatMap((s, i) => (s.trainable ? [i] : []));
  const lossOf = (...train: tf.Tensor[]): tf.Scalar => {
    const byName = new Map<string, tf.Tensor>(segments.map((s, i) => [s.name, views[i]]));
    trainIdx.forEach((i, j) => byName.set(segments[i].name, train[j]));
    return weightedMse(model.run(byName, batch.inputs), batch.target, batch.weight, batch.n);
  };
  const { value: loss, grads } = tf.valueAndGrads(lossOf)(trainIdx.map((i) => views[i]));
  let j = 0;
  const parts = segments.map((s) => (s.trainable ? tf.reshape(grads[j++], [-1]) : tf.zeros([s.size])));
  const { state: next, norm } = flatAdamUpdate(state, (parts.length === 1 ? parts[0] : tf.concat(parts)) as tf.Tensor1D, opt, k, trainableMask);
  return { state: next, lossAndNorm: tf.stack([loss, norm]) as tf.Tensor1D };
}

/**
 * The update of one step from the flat gradient (call inside tf.tidy): the new state and the gradient's norm before
 * clipping. Losses other than the weighted MSE (the Lab's CNF) step through here with the same optimiser.
 */
export function flatAdamUpdate(state: FlatState, gradient: tf.Tensor1D, opt: OptimiserSettings, k: StepScalars, trainableMask: tf.Tensor1D | null): { state: FlatState; norm: tf.Scalar } {
  let g = gradient;
  const norm = tf.sqrt(tf.sum(tf.square(g))) as tf.Scalar;
  if (opt.gradClip !== null) g = tf.mul(g, tf.minimum(1, tf.div(opt.gradClip, tf.add(norm, 1e-6))));
  const p = state.params;
  const decayed = opt.weightDecay > 0 ? (trainableMask ? tf.mul(p, trainableMask) : p) : null;
  if (decayed && opt.kind === 'adam') g = tf.add(g, tf.mul(decayed, opt.weightDecay));
  const m = tf.add(tf.mul(state.m, opt.beta1), tf.mul(g, 1 - opt.beta1));
  const v = tf.add(tf.mul(state.v, opt.beta2), tf.mul(tf.square(g), 1 - opt.beta2));
  // p -= (lr / bc1) m / (sqrt(v / bc2) + eps), scalar factors folded first (the compiled ONNX step does the same)
  let update = tf.mul(tf.div(m, tf.add(tf.sqrt(tf.div(v, k.bc2)), opt.eps)), k.lr / k.bc1);
  // a frozen entry's moments may be non-zero in a state written elsewhere; the mask keeps it fixed regardless
  if (trainableMask) update = tf.mul(update, trainableMask);
  let params: tf.Tensor = p;
  if (decayed && opt.kind === 'adamw') params = tf.sub(params, tf.mul(decayed, k.lr * opt.weightDecay));
  params = tf.sub(params, update);
  const ema = tf.add(tf.mul(state.ema, opt.emaDecay), tf.mul(params, 1 - opt.emaDecay));
  return { state: { params: params as tf.Tensor1D, m: m as tf.Tensor1D, v: v as tf.Tensor1D, ema: ema as tf.Tensor1D }, norm };
}
