// compileTrainingStep: a model's forward graph -> one graph for a whole optimisation step (loss, gradients, clip, Adam, EMA).
import { StudioError } from '../errors';
import type { ParamLayout } from '../graph/param-layout';
import { floatTensor, sizeOf } from '../graph/tensor';
import type { Graph } from '../graph/types';
import type { OptimiserSettings } from '../training/backend';
import { emitBackprop } from './backprop';
import { Emitter } from './emitter';
import { emitForward, type ParamViewMode } from './forward-copy';
import { emitWeightedMse } from './loss';
import { emitOptimiser, optimiserGradScale } from './optimiser';

/** What the step is compiled for. */
interface TrainingStepOptions {
  readonly optimiser: OptimiserSettings;
  /** The model takes labels y int64 [N] (must match the forward graph). */
  readonly hasLabels: boolean;
  /** How parameters are cut from the flat vector (default 'slice'). */
  readonly paramViews?: ParamViewMode;
  /**
   * Optimisation steps in one graph (default 1): step k reads its own batch and scalars (names from stepIo) and the
   * state step k - 1 wrote, so one run does K steps and the flat state crosses into and out of the runtime once. The
   * batches of one run share the batch size N (values built from N, such as the ones that sum a bias's rows, are shared).
   */
  readonly steps?: number;
}

/** Input and output names of a compiled step; state outputs feed the next step's state inputs. */
export const STEP_IO = {
  params: 'params',
  m: 'm',
  v: 'v',
  ema: 'ema',
  xt: 'xt',
  t: 't',
  y: 'y',
  target: 'target',
  weight: 'weight',
  lr: 'lr',
  bc1: 'bc1',
  bc2: 'bc2',
  paramsNext: 'params_next',
  mNext: 'm_next',
  vNext: 'v_next',
  emaNext: 'ema_next',
  loss: 'loss',
  gradNorm: 'grad_norm',
} as const;

/** The per-step names of a multi-step graph: step 0 keeps STEP_IO's names, step k appends '.k'. */
export function stepIo(name: (typeof STEP_IO)[keyof typeof STEP_IO], k: number): string {
  return k === 0 ? name : `${name}.${k}`;
}

function checkLayout(forward: Graph, layout: ParamLayout): void {
  if (layout.size !== forward.paramSize) throw new StudioError('invalid-shape', `layout holds ${layout.size} values but the graph needs ${forward.paramSize}`);
  for (const p of forward.params) {
    const e = layout.entries.find((x) => x.name === p.name);
    if (!e || e.offset !== p.offset || sizeOf(e.shape) !== sizeOf(p.shape)) throw new StudioError('invalid-shape', `parameter '${p.name}' differs between graph and layout`);
  }
}

/** Names one step reads and writes. */
interface StepNames {
  readonly state: { readonly params: string; readonly m: string; readonly v: string; readonly ema: string };
  readonly next: { readonly params: string; readonly m: string; readonly v: string; readonly ema: string };
  readonly batch: readonly string[];
  readonly target: string;
  readonly weight: string;
  readonly lr: string;
  readonly bc1: string;
  readonly bc2: string;
  readonly loss: string;
  readonly gradNorm: string;
}

/** Emits one optimisation step: forward (values prefixed), loss, gradients, the flat gradient and the optimiser. */
function emitStep(e: Emitter, forward: Graph, layout: ParamLayout, options: TrainingStepOptions, io: StepNames, reserved: ReadonlySet<string>, prefix: string): void {
  const P = layout.size;
  const fwd = emitForward(e, forward, io.state.params, io.batch, reserved, options.paramViews, prefix);
  const gradScale = optimiserGradScale(options.optimiser);
  const { dPrediction } = emitWeightedMse(e, fwd.prediction, io.target, io.weight, io.loss, gradScale);
  const trainable = [...layout.entries].filter((p) => p.trainable).map((p) => fwd.names.get(p.name) as string);
  const grads = emitBackprop(e, fwd.nodes, new Map([[fwd.prediction, dPrediction]]), trainable);

  // the flat gradient, in buffer order: zeros for frozen parameters and for any gap in the layout
  const pieces: string[] = [];
  const mask = new Float32Array(P);
  let at = 0;
  const zeros = (size: number) => e.floats(`zeros:${size}`, () => floatTensor(new Float32Array(size), [size]));
  for (const p of [...layout.entries].sort((a, b) => a.offset - b.offset)) {
    if (p.offset > at) pieces.push(zeros(p.offset - at));
    const size = sizeOf(p.shape);
    const g = grads.get(fwd.names.get(p.name) as string);
    if (p.trainable) mask.fill(1, p.offset, p.offset + size);
    pieces.push(p.trainable && g ? e.reshapeTo(g, [size]) : zeros(size));
    at = p.offset + size;
  }
  if (at < P) pieces.push(zeros(P - at));
  const grad = pieces.length === 1 ? pieces[0] : e.op('Concat', pieces, { axis: { kind: 'int', value: 0 } });
  const needsMask = mask.some((v) => v === 0);
  emitOptimiser(
    e,
    options.optimiser,
    { ...io.state, lr: io.lr, bc1: io.bc1, bc2: io.bc2, grad, gradScale, mask: needsMask ? e.floats('trainable_mask', () => floatTensor(mask, [P])) : undefined },
    { ...io.next, gradNorm: io.gradNorm },
  );
}

/** Builds the step graph; see STEP_IO and stepIo for its signature (flat vectors [P], batch [N, ...], scalars []). */
export function compileTrainingStep(forward: Graph, layout: ParamLayout, options: TrainingStepOptions): Graph {
  checkLayout(forward, layout);
  const wantInputs = options.hasLabels ? 3 : 2;
  if (forward.inputs.length !== wantInputs) {
    throw new StudioError('invalid-argument', `the model has ${forward.inputs.length} inputs; a step ${options.hasLabels ? 'with' : 'without'} labels needs ${wantInputs}`);
  }
  const K = options.steps ?? 1;
  if (!Number.isInteger(K) || K < 1) throw new StudioError('invalid-argument', `steps per graph must be a whole number of at least 1, got ${K}`);
  const P = layout.size;
  const e = new Emitter(`${forward.name}.train_step`);
  for (const name of [STEP_IO.params, STEP_IO.m, STEP_IO.v, STEP_IO.ema]) e.b.input(name, 'float32', [P]);
  const [x, t, y] = forward.inputs;
  const reserved = new Set<string>();
  for (let k = 0; k < K; k++) {
    for (const name of Object.values(STEP_IO)) reserved.add(stepIo(name, k));
    e.b.input(stepIo(STEP_IO.xt, k), 'float32', x.shape);
    e.b.input(stepIo(STEP_IO.t, k), 'float32', t.shape);
    if (y) e.b.input(stepIo(STEP_IO.y, k), 'int64', y.shape);
    e.b.input(stepIo(STEP_IO.target, k), 'float32', forward.outputs[0].shape);
    e.b.input(stepIo(STEP_IO.weight, k), 'float32', [x.shape[0]]);
    for (const name of [STEP_IO.lr, STEP_IO.bc1, STEP_IO.bc2]) e.b.input(stepIo(name, k), 'float32', []);
  }
  // the state between steps k - 1 and k is named after the input it stands for, e.g. 'params.k'
  const stateAt = (k: number) => ({ params: stepIo(STEP_IO.params, k), m: stepIo(STEP_IO.m, k), v: stepIo(STEP_IO.v, k), ema: stepIo(STEP_IO.ema, k) });
  const final = { params: STEP_IO.paramsNext, m: STEP_IO.mNext, v: STEP_IO.vNext, ema: STEP_IO.emaNext };
  for (let k = 0; k < K; k++) {
    const batch = [stepIo(STEP_IO.xt, k), stepIo(STEP_IO.t, k), ...(y ? [stepIo(STEP_IO.y, k)] : [])];
    const io: StepNames = {
      state: stateAt(k),
      next: k === K - 1 ? final : stateAt(k + 1),
      batch,
      target: stepIo(STEP_IO.target, k),
      weight: stepIo(STEP_IO.weight, k),
      lr: stepIo(STEP_IO.lr, k),
      bc1: stepIo(STEP_IO.bc1, k),
      bc2: stepIo(STEP_IO.bc2, k),
      loss: stepIo(STEP_IO.loss, k),
      gradNorm: stepIo(STEP_IO.gradNorm, k),
    };
    emitStep(e, forward, layout, options, io, reserved, k === 0 ? '' : `s${k}/`);
  }
  for (const o of Object.values(final)) e.b.output(o);
  for (let k = 0; k < K; k++) for (const o of [STEP_IO.loss, STEP_IO.gradNorm]) e.b.output(stepIo(o, k));
  return e.b.build().graph;
}

/**
 * The forward graph with its parameters taken from a flat input 'params' [P] instead of initialisers, so one
 * session can predict with the EMA or the live weights by feeding either vector (no session rebuilt per swap).
 */
export function compileParametricForward(forward: Graph): Graph {
  const e = new Emitter(`${forward.name}.parametric`);
  const reserved = new Set([STEP_IO.params]);
  e.b.input(STEP_IO.params, 'float32', [forward.paramSize]);
  for (const info of forward.inputs) e.b.input(info.name, info.dtype, info.shape);
  const fwd = emitForward(e, forward, STEP_IO.params, forward.inputs.map((i) => i.name), reserved);
  e.b.output(fwd.prediction);
  return e.b.build().graph;
}
