// OneHot row: int64 indices -> rows of [off, on] values along a new last axis of constant depth.
import { StudioError } from '../../errors';
import { attrInt } from '../attrs';
import { asFloat, asInt64, int64Values } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';

/** The OneHot row of the op table (axis -1 only; negative indices count from the end, out-of-range ones give an off row). */
export const oneHotOp: OpDef = {
  op: 'OneHot',
  arity: [3, 3],
  attrs: ['axis'],
  infer(ctx) {
    expectDtype(ctx, 0, 'int64');
    expectDtype(ctx, 1, 'int64');
    expectDtype(ctx, 2, 'float32');
    if (attrInt(ctx.node.attrs, 'axis', -1) !== -1) shapeError(ctx.node, 'only axis -1 is supported');
    const depth = ctx.constant(1);
    if (!depth) shapeError(ctx.node, 'depth must be a graph constant');
    const [d] = int64Values(asInt64(depth, 'OneHot depth'));
    return [{ dtype: 'float32', shape: [...ctx.inputs[0].shape, d] }];
  },
  evaluate([indices, depthT, valuesT], attrs) {
    if (attrInt(attrs, 'axis', -1) !== -1) throw new StudioError('invalid-argument', 'OneHot: only axis -1 is supported');
    const [depth] = int64Values(asInt64(depthT, 'OneHot depth'));
    const [off, on] = asFloat(valuesT, 'OneHot values').data;
    const idx = int64Values(asInt64(indices, 'OneHot indices'));
    const data = new Float32Array(idx.length * depth).fill(off);
    idx.forEach((v, i) => {
      const k = v < 0 ? v + depth : v;
      if (k >= 0 && k < depth) data[i * depth + k] = on;
    });
    return [{ dtype: 'float32', shape: [...indices.shape, depth], data }];
  },
};
