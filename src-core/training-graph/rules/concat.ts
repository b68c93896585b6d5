// Gradient rule of Concat: each input's gradient is its own window of dY along the concatenation axis.
import { attrInt } from '../../graph/attrs';
import type { GradRule } from '../grad-rule';

/** The Concat row of the gradient table (one builder serves every input). */
export const concatGradRule: GradRule = {
  op: 'Concat',
  inputsToSave: [],
  saveOutput: false,
  vjp: (c, i) => {
    const rank = c.outputType().shape.length;
    const raw = attrInt(c.node.attrs, 'axis', 0);
    const axis = raw < 0 ? raw + rank : raw;
    let start = 0;
    for (let k = 0; k < i; k++) start += c.inputType(k).shape[axis] as number;
    const end = start + (c.inputType(i).shape[axis] as number);
    return c.e.op('Slice', [c.dy, c.e.ints([start]), c.e.ints([end]), c.e.ints([axis])]);
  },
};
