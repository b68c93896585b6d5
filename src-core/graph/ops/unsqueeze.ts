// Unsqueeze row: inserts size-1 dimensions at the axes given by a constant int64 input.
import { StudioError } from '../../errors';
import { asInt64, int64Values } from '../tensor';
import { expectDtype, normAxis, shapeError, type OpDef } from '../op-def';
import type { Dim, Shape } from '../types';

/** The shape after inserting 1s at the given axes (axes refer to the output rank). */
export function unsqueezeShape(shape: Shape, axes: readonly number[]): Dim[] {
  const rank = shape.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, rank, 'Unsqueeze axis')));
  if (at.size !== axes.length) throw new StudioError('invalid-argument', `Unsqueeze axes [${axes.join(', ')}] repeat`);
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : shape[k++]);
  return out;
}

/** The Unsqueeze row of the op table. */
export const unsqueezeOp: OpDef = {
  op: 'Unsqueeze',
  arity: [2, 2],
  attrs: [],
  infer(ctx) {
    expectDtype(ctx, 1, 'int64');
    const axes = ctx.constant(1);
    if (!axes) shapeError(ctx.node, 'axes must be a graph constant');
    return [{ dtype: ctx.inputs[0].dtype, shape: unsqueezeShape(ctx.inputs[0].shape, int64Values(asInt64(axes, 'Unsqueeze axes'))) }];
  },
  evaluate([x, axes]) {
    const shape = unsqueezeShape(x.shape, int64Values(asInt64(axes, 'Unsqueeze axes'))) as number[];
    return [x.dtype === 'float32' ? { dtype: 'float32', shape, data: x.data.slice() } : { dtype: 'int64', shape, data: x.data.slice() }];
  },
};
