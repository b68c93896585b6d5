// Gradient rule of MatMul A [..., K] @ B [K, M]: dA = dY B^T, dB = A^T dY with A's leading axes folded into rows.
import { int, ints } from '../../graph/attrs';
import type { GradRule } from '../grad-rule';

/** The MatMul row of the gradient table. */
export const matMulGradRule: GradRule = {
  op: 'MatMul',
  inputsToSave: [0, 1],
  saveOutput: false,
  vjp: [
    (c) => c.e.op('MatMul', [c.dy, c.e.op('Transpose', [c.input(1)], { perm: ints([1, 0]) })]),
    (c) => {
      const a = c.inputType(0).shape;
      const [k, m] = c.inputType(1).shape;
      // a symbolic batch mixed with fixed leading axes cannot be folded by a constant Reshape; resolveReshape says so
      const rows = a.length === 2 ? c.input(0) : c.e.reshapeTo(c.input(0), [-1, k]);
      const dy = a.length === 2 ? c.dy : c.e.reshapeTo(c.dy, [-1, m]);
      return c.e.op('Gemm', [rows, dy], { transA: int(1) });
    },
  ],
};
