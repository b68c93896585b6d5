// Reshape row: the target shape is a constant int64 input; 0 copies a dimension, -1 is inferred.
import { StudioError } from '../../errors';
import { asInt64, formatShape, int64Values } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';
import type { Dim, Shape } from '../types';

/** A symbolic dimension read as base symbol times a whole factor: 'N' is (N, 1), 'N*900' is (N, 900). */
function symbolParts(d: string): { base: string; factor: number } {
  const m = /^(.+)\*(\d+)$/.exec(d);
  return m ? { base: m[1], factor: Number(m[2]) } : { base: d, factor: 1 };
}

/** Bases of the symbolic dims and the product of the fixed sizes and symbol factors. */
function split(dims: readonly Dim[]): { symbols: string[]; size: number } {
  const symbols: string[] = [];
  let size = 1;
  for (const d of dims) {
    if (typeof d === 'number') size *= d;
    else {
      const { base, factor } = symbolParts(d);
      symbols.push(base);
      size *= factor;
    }
  }
  return { symbols, size };
}

/**
 * Resolves a Reshape target against a (possibly symbolic) input shape; exported for tests. A -1 that absorbs a
 * symbol and fixed sizes becomes a derived symbol ('N*900' for [N, 30, 30] -> [-1]), so a batch can be folded
 * into the rows of a product and unfolded again.
 */
export function resolveReshape(input: Shape, target: readonly number[]): Dim[] {
  const out: Dim[] = target.map((d, i) => (d === 0 ? input[i] : d));
  const minus = out.indexOf(-1);
  if (out.some((d, i) => typeof d === 'number' && d < 0 && i !== minus) || out.lastIndexOf(-1) !== minus) {
    throw new StudioError('invalid-shape', `Reshape target [${target.join(', ')}] is malformed`);
  }
  // cancel the symbols common to both sides; what is left must be numeric (or one symbol for the -1)
  const from = split(input);
  const to = split(out.filter((_, i) => i !== minus));
  const left = [...from.symbols];
  for (const s of to.symbols) {
    const k = left.indexOf(s);
    if (k < 0) throw new StudioError('invalid-shape', `Reshape cannot produce symbolic dimension '${s}' from ${formatShape(input)}`);
    left.splice(k, 1);
  }
  const numIn = from.size;
  const numOut = to.size;
  if (minus >= 0) {
    if (left.length === 1 && numOut > 0 && numIn % numOut === 0) out[minus] = numIn === numOut ? left[0] : `${left[0]}*${numIn / numOut}`;
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
