// ReduceMean and ReduceSum rows (opset 17: ReduceMean takes axes as an attribute, ReduceSum as an optional input).
import { StudioError } from '../../errors';
import { attrInt, attrInts } from '../attrs';
import { asFloat, asInt64, int64Values, sizeOf, stridesOf } from '../tensor';
import { expectDtype, normAxis, shapeError, type InferContext, type OpDef } from '../op-def';
import type { Attrs, Dim, FloatTensor, Shape, Tensor } from '../types';

function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Dim[] {
  const set = new Set(axes);
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function normAxes(axes: readonly number[] | undefined, rank: number): number[] {
  if (!axes || axes.length === 0) return Array.from({ length: rank }, (_, i) => i);
  const out = axes.map((a) => normAxis(a, rank, 'reduction axis'));
  if (new Set(out).size !== out.length) throw new StudioError('invalid-argument', `reduction axes [${axes.join(', ')}] repeat`);
  return out;
}

function reduce(x: FloatTensor, axes: readonly number[], keepdims: boolean, mean: boolean): FloatTensor {
  const set = new Set(axes);
  const keptShape = x.shape.map((d, i) => (set.has(i) ? 1 : d));
  const keptStrides = stridesOf(keptShape);
  const inStrides = stridesOf(x.shape);
  const acc = new Float64Array(sizeOf(keptShape));
  for (let i = 0; i < x.data.length; i++) {
    let r = i;
    let j = 0;
    for (let d = 0; d < x.shape.length; d++) {
      const q = Math.floor(r / inStrides[d]);
      r -= q * inStrides[d];
      if (!set.has(d)) j += q * keptStrides[d];
    }
    acc[j] += x.data[i];
  }
  const count = mean ? x.data.length / Math.max(acc.length, 1) : 1;
  const data = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) data[i] = acc[i] / count;
  return { dtype: 'float32', shape: reducedShape(x.shape, axes, keepdims) as number[], data };
}

function reduceSumAxes(ctx: InferContext): readonly number[] | undefined {
  if (ctx.inputs.length < 2) return undefined;
  expectDtype(ctx, 1, 'int64');
  const c = ctx.constant(1);
  if (!c) shapeError(ctx.node, 'axes must be a graph constant');
  return int64Values(asInt64(c, 'ReduceSum axes'));
}

function checkNoop(attrs: Attrs): void {
  if (attrInt(attrs, 'noop_with_empty_axes', 0) !== 0) throw new StudioError('invalid-argument', 'noop_with_empty_axes is not supported');
}

/** The ReduceMean row of the op table. */
export const reduceMeanOp: OpDef = {
  op: 'ReduceMean',
  arity: [1, 1],
  attrs: ['axes', 'keepdims'],
  infer(ctx) {
    expectDtype(ctx, 0, 'float32');
    const x = ctx.inputs[0];
    const axes = normAxes(attrInts(ctx.node.attrs, 'axes'), x.shape.length);
    return [{ dtype: 'float32', shape: reducedShape(x.shape, axes, attrInt(ctx.node.attrs, 'keepdims', 1) !== 0) }];
  },
  evaluate([x], attrs) {
    const axes = normAxes(attrInts(attrs, 'axes'), x.shape.length);
    return [reduce(asFloat(x, 'ReduceMean input'), axes, attrInt(attrs, 'keepdims', 1) !== 0, true)];
  },
};

/** The ReduceSum row of the op table. */
export const reduceSumOp: OpDef = {
  op: 'ReduceSum',
  arity: [1, 2],
  attrs: ['keepdims', 'noop_with_empty_axes'],
  infer(ctx) {
    expectDtype(ctx, 0, 'float32');
    checkNoop(ctx.node.attrs);
    const x = ctx.inputs[0];
    const axes = normAxes(reduceSumAxes(ctx), x.shape.length);
    return [{ dtype: 'float32', shape: reducedShape(x.shape, axes, attrInt(ctx.node.attrs, 'keepdims', 1) !== 0) }];
  },
  evaluate(inputs: readonly Tensor[], attrs) {
    checkNoop(attrs);
    const x = asFloat(inputs[0], 'ReduceSum input');
    const axes = normAxes(inputs[1] ? int64Values(asInt64(inputs[1], 'ReduceSum axes')) : undefined, x.shape.length);
    return [reduce(x, axes, attrInt(attrs, 'keepdims', 1) !== 0, false)];
  },
};
