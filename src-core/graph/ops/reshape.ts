// Reshape row: the target shape is a constant int64 input; 0 copies a dimension, -1 is inferred.
import { StudioError } from '../../errors';
import { asInt64, formatShape, int64Values, sizeOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';
import type { Dim, Shape } from '../types';

/** Resolves a Reshape target against a (possibly symbolic) input shape; exported for tests. */
export function resolveReshape(input: Shape, target: readonly number[]): Dim[] {
  const out: Dim[] = target.map((d, i) => (d === 0 ? input[i] : d));
  const minus = out.indexOf(-1);
  if (out.some((d, i) => typeof d === 'number' && d < 0 && i !== minus) || out.lastIndexOf(-1) !== minus) {
    throw new StudioError('invalid-shape', `Reshape target [${target.join(', ')}] is malformed`);
  }
  // cancel the symbols common to both sides; what is left must be numeric
  const symsIn = input.filter((d): d is string => typeof d === 'string');
  const symsOut = out.filter((d): d is string => typeof d === 'string');
  const left = [...symsIn];
  for (const s of symsOut) {
    const k = left.indexOf(s);
    if (k < 0) throw new StudioError('invalid-shape', `Reshape cannot produce symbolic dimension '${s}' from ${formatShape(input)}`);
    left.splice(k, 1);
  }
  const numIn = sizeOf(input.filter((d): d is number => typeof d === 'number'));
  const numOut = sizeOf(out.filter((d, i): d is number => typeof d === 'number' && i !== minus));
  if (minus >= 0) {
    if (left.length === 1 && numIn === numOut) out[minus] = left[0];
    else if (left.length === 0 && numOut > 0 && numIn % numOut === 0) out[minus] = numIn / numOut;
    else throw new StudioError('invalid-shape', `Reshape cannot infer -1 from ${formatShape(input)} to [${target.join(', ')}]`);
  } else if (left.length > 0 || numIn !== numOut) {
    throw new StudioError('invalid-shape', `Reshape from ${formatShape(input)} to [${target.join(', ')}] changes the element count`);
  }
  return out;
}

/** The Reshape row of the op table (allowzero = 0 semantics only). */
export const reshapeOp: OpDef = {
  op: 'Reshape',
  arity: [2, 2],
  attrs: [],
  infer(ctx) {
    expectDtype(ctx, 1, 'int64');
    const target = ctx.constant(1);
    if (!target) shapeError(ctx.node, 'the target shape must be a graph constant');
    return [{ dtype: ctx.inputs[0].dtype, shape: resolveReshape(ctx.inputs[0].shape, int64Values(asInt64(target, 'Reshape shape'))) }];
  },
  evaluate([x, s]) {
    const shape = resolveReshape(x.shape, int64Values(asInt64(s, 'Reshape shape'))) as number[];
    return [x.dtype === 'float32' ? { dtype: 'float32', shape, data: x.data.slice() } : { dtype: 'int64', shape, data: x.data.slice() }];
  },
};
