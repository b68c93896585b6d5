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
import { emitOptimiser } from './optimiser';

/** What the step is compiled for. */
interface TrainingStepOptions {
  readonly optimiser: OptimiserSettings;
  /** The model takes labels y int64 [N] (must match the forward graph). */
  readonly hasLabels: boolean;
  /** How parameters are cut from the flat vector (default 'slice'). */
  readonly paramViews?: ParamViewMode;
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

const RESERVED: ReadonlySet<string> = new Set(Object.values(STEP_IO));

function checkLayout(forward: Graph, layout: ParamLayout): void {
  if (layout.size !== forward.paramSize) throw new StudioError('invalid-shape', `layout holds ${layout.size} values but the graph needs ${forward.paramSize}`);
  for (const p of forward.params) {
    const e = layout.entries.find((x) => x.name === p.name);
    if (!e || e.offset !== p.offset || sizeOf(e.shape) !== sizeOf(p.shape)) throw new StudioError('invalid-shape', `parameter '${p.name}' differs between graph and layout`);
  }
}

/** Builds the step graph; see STEP_IO for its signature (flat vectors [P], batch [N, ...], scalars []). */
export function compileTrainingStep(forward: Graph, layout: ParamLayout, options: TrainingStepOptions): Graph {
  checkLayout(forward, layout);
  const wantInputs = options.hasLabels ? 3 : 2;
  if (forward.inputs.length !== wantInputs) {
    throw new StudioError('invalid-argument', `the model has ${forward.inputs.length} inputs; a step ${options.hasLabels ? 'with' : 'without'} labels needs ${wantInputs}`);
  }
  const P = layout.size;
  const e = new Emitter(`${forward.name}.train_step`);
  for (const name of [STEP_IO.params, STEP_IO.m, STEP_IO.v, STEP_IO.ema]) e.b.input(name, 'float32', [P]);
  const [x, t, y] = forward.inputs;
  e.b.input(STEP_IO.xt, 'float32', x.shape);
  e.b.input(STEP_IO.t, 'float32', t.shape);
  if (y) e.b.input(STEP_IO.y, 'int64', y.shape);
  e.b.input(STEP_IO.target, 'float32', forward.outputs[0].shape);
  e.b.input(STEP_IO.weight, 'float32', [x.shape[0]]);
  for (const name of [STEP_IO.lr, STEP_IO.bc1, STEP_IO.bc2]) e.b.input(name, 'float32', []);

  const fwd = emitForward(e, forward, STEP_IO.params, y ? [STEP_IO.xt, STEP_IO.t, STEP_IO.y] : [STEP_IO.xt, STEP_IO.t], RESERVED, options.paramViews);
  const { dPrediction } = emitWeightedMse(e, fwd.prediction, STEP_IO.target, STEP_IO.weight, STEP_IO.loss);
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
    {
      params: STEP_IO.params,
      m: STEP_IO.m,
      v: STEP_IO.v,
      ema: STEP_IO.ema,
      lr: STEP_IO.lr,
      bc1: STEP_IO.bc1,
      bc2: STEP_IO.bc2,
      grad,
      mask: needsMask ? e.constant('tg.trainable_mask', floatTensor(mask, [P])) : undefined,
    },
    { params: STEP_IO.paramsNext, m: STEP_IO.mNext, v: STEP_IO.vNext, ema: STEP_IO.emaNext, gradNorm: STEP_IO.gradNorm },
  );
  for (const o of [STEP_IO.paramsNext, STEP_IO.mNext, STEP_IO.vNext, STEP_IO.emaNext, STEP_IO.loss, STEP_IO.gradNorm]) e.b.output(o);
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
