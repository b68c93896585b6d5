// Gradient rules of the ops that only move elements: Reshape and Unsqueeze reshape back, Transpose applies the inverse permutation.
import { attrInts, ints } from '../../graph/attrs';
import type { GradRule } from '../grad-rule';

/** Reshape: dX = reshape(dY, shape of X); the shape input gets none. */
export const reshapeGradRule: GradRule = {
  op: 'Reshape',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => c.e.reshapeTo(c.dy, c.inputType(0).shape), null],
};

/** Unsqueeze: dX = reshape(dY, shape of X); the axes input gets none. */
export const unsqueezeGradRule: GradRule = {
  op: 'Unsqueeze',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => c.e.reshapeTo(c.dy, c.inputType(0).shape), null],
};

/** Transpose: dX = transpose(dY, inverse permutation). */
export const transposeGradRule: GradRule = {
  op: 'Transpose',
  inputsToSave: [],
  saveOutput: false,
  vjp: [
    (c) => {
      const rank = c.inputType(0).shape.length;
      const perm = attrInts(c.node.attrs, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
      const inverse = new Array<number>(rank);
      perm.forEach((p, i) => (inverse[p] = i));
      return c.e.op('Transpose', [c.dy], { perm: ints(inverse) });
    },
  ],
};
