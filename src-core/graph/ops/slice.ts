// Slice row: a window of one or more axes, with constant starts, ends, axes and positive steps (every step-th element).
import { StudioError } from '../../errors';
import { asInt64, int64Values, remapTensor, stridesOf } from '../tensor';
import { expectDtype, normAxis, shapeError, type InferContext, type OpDef } from '../op-def';
import type { Dim, Tensor } from '../types';

interface Window {
  readonly axis: number;
  readonly start: number;
  readonly step: number;
  /** Elements the window keeps along its axis. */
  readonly size: number;
}

function clampIndex(i: number, size: number): number {
  const k = i < 0 ? i + size : i;
  return Math.min(Math.max(k, 0), size);
}

function windows(shape: readonly Dim[], starts: readonly number[], ends: readonly number[], axes: readonly number[] | undefined, steps: readonly number[] | undefined): Window[] {
  if (starts.length !== ends.length) throw new StudioError('invalid-argument', 'Slice starts and ends differ in length');
  if (steps && steps.length !== starts.length) throw new StudioError('invalid-argument', 'Slice steps and starts differ in length');
  if (steps && steps.some((s) => !Number.isInteger(s) || s < 1)) throw new StudioError('invalid-argument', `only positive Slice steps are supported, got [${steps.join(', ')}]`);
  const ax = axes ?? starts.map((_, i) => i);
  return ax.map((a, i) => {
    const axis = normAxis(a, shape.length, 'Slice axis');
    const dim = shape[axis];
    if (typeof dim !== 'number') throw new StudioError('invalid-shape', `Slice over symbolic dimension '${dim}' is not supported`);
    const start = clampIndex(starts[i], dim);
    const end = Math.max(start, clampIndex(ends[i], dim));
    const step = steps ? steps[i] : 1;
    return { axis, start, step, size: Math.ceil((end - start) / step) };
  });
}

function constInts(ctx: InferContext, i: number, what: string): number[] | undefined {
  if (ctx.inputs.length <= i) return undefined;
  expectDtype(ctx, i, 'int64');
  const c = ctx.constant(i);
  if (!c) shapeError(ctx.node, `${what} must be a graph constant`);
  return int64Values(asInt64(c, `Slice ${what}`));
}

/** The Slice row of the op table. */
export const sliceOp: OpDef = {
  op: 'Slice',
  arity: [3, 5],
  attrs: [],
  infer(ctx) {
    const w = windows(ctx.inputs[0].shape, constInts(ctx, 1, 'starts') ?? [], constInts(ctx, 2, 'ends') ?? [], constInts(ctx, 3, 'axes'), constInts(ctx, 4, 'steps'));
    const shape: Dim[] = [...ctx.inputs[0].shape];
    for (const { axis, size } of w) shape[axis] = size;
    return [{ dtype: ctx.inputs[0].dtype, shape }];
  },
  evaluate(inputs: readonly Tensor[]) {
    const x = inputs[0];
    const ints = (i: number) => (inputs[i] ? int64Values(asInt64(inputs[i], 'Slice argument')) : undefined);
    const w = windows(x.shape, ints(1) ?? [], ints(2) ?? [], ints(3), ints(4));
    const begin = x.shape.map(() => 0);
    const stride = x.shape.map(() => 1);
    const shape = [...x.shape];
    for (const { axis, start, step, size } of w) {
      begin[axis] = start;
      stride[axis] = step;
      shape[axis] = size;
    }
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(shape);
    return [
      remapTensor(x, shape, (i) => {
        let src = 0;
        let r = i;
        for (let d = 0; d < shape.length; d++) {
          const q = Math.floor(r / outStrides[d]);
          r -= q * outStrides[d];
          src += (begin[d] + q * stride[d]) * inStrides[d];
        }
        return src;
      }),
    ];
  },
};
