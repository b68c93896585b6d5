// Gradient rule of Pad (constant mode): dX is the window of dY the input was copied into; the pads and the value get none.
import { StudioError } from '../../errors';
import { padPairsOf } from '../../graph/ops/pad';
import type { GradRule } from '../grad-rule';

/** The Pad row of the gradient table. */
export const padGradRule: GradRule = {
  op: 'Pad',
  inputsToSave: [],
  saveOutput: false,
  vjp: [
    (c) => {
      const shape = c.inputType(0).shape;
      const pairs = padPairsOf(c.constant(1), shape.length);
      if (!pairs) throw new StudioError('invalid-argument', `the gradient of Pad node '${c.node.name}' needs constant pads`);
      const axes = pairs.flatMap(([b, e], i) => (b > 0 || e > 0 ? [i] : []));
      if (axes.length === 0) return c.dy;
      return c.e.op('Slice', [c.dy, c.e.ints(axes.map((i) => pairs[i][0])), c.e.ints(axes.map((i) => pairs[i][0] + (shape[i] as number))), c.e.ints(axes)]);
    },
    null,
    null,
  ],
};
