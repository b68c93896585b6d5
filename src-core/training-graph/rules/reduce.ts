// Gradient rules of ReduceSum and ReduceMean: dY is given its reduced axes back (size 1) and expanded over them.
import { StudioError } from '../../errors';
import { attrInt, attrInts } from '../../graph/attrs';
import { int64Values } from '../../graph/tensor';
import type { GradContext, GradRule } from '../grad-rule';

function reducedAxes(c: GradContext): number[] {
  const rank = c.inputType(0).shape.length;
  let axes: readonly number[] | undefined;
  if (c.node.op === 'ReduceSum') {
    const t = c.node.inputs.length > 1 ? c.constant(1) : undefined;
    if (c.node.inputs.length > 1 && (!t || t.dtype !== 'int64')) throw new StudioError('invalid-argument', 'ReduceSum gradient needs constant axes');
    axes = t && t.dtype === 'int64' ? int64Values(t) : undefined;
  } else axes = attrInts(c.node.attrs, 'axes');
  if (!axes || axes.length === 0) return Array.from({ length: rank }, (_, i) => i);
  return axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

function spread(c: GradContext, mean: boolean): string {
  const shape = c.inputType(0).shape;
  const axes = reducedAxes(c);
  let g = c.dy;
  if (attrInt(c.node.attrs, 'keepdims', 1) === 0) g = c.e.op('Unsqueeze', [g, c.e.ints(axes)]);
  let count = 1;
  const target = shape.map((d, i) => {
    if (!axes.includes(i)) return 1;
    if (typeof d !== 'number') throw new StudioError('invalid-shape', `gradient of ${c.node.op} over symbolic axis '${d}' is not supported`);
    count *= d;
    return d;
  });
  // the mean's 1 / count is applied before expanding: one pass over the small tensor instead of the large one
  if (mean) g = c.e.op('Mul', [g, c.e.scalar(1 / count)]);
  return c.e.op('Expand', [g, c.e.ints(target)]);
}

/** ReduceSum: every reduced element receives dY; the axes input gets none. */
export const reduceSumGradRule: GradRule = {
  op: 'ReduceSum',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => spread(c, false), null],
};

/** ReduceMean: every reduced element receives dY / count. */
export const reduceMeanGradRule: GradRule = {
  op: 'ReduceMean',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => spread(c, true)],
};
