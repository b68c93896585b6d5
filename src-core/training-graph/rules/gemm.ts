// Gradient rule of Gemm, Y = alpha op(A) op(B) + beta C: each VJP is itself one Gemm with the transposes folded into its flags.
import { attrFloat, attrInt, float, int } from '../../graph/attrs';
import type { GradContext, GradRule } from '../grad-rule';

function flags(c: GradContext): { ta: number; tb: number; alpha: number; beta: number } {
  const a = c.node.attrs;
  return { ta: attrInt(a, 'transA', 0), tb: attrInt(a, 'transB', 0), alpha: attrFloat(a, 'alpha', 1), beta: attrFloat(a, 'beta', 1) };
}

function gemm(c: GradContext, p: string, q: string, transA: number, transB: number, alpha: number): string {
  const attrs = { transA: int(transA), transB: int(transB), ...(alpha !== 1 ? { alpha: float(alpha) } : {}) };
  return c.e.op('Gemm', [p, q], attrs);
}

/** dA' = alpha dY op(B)^T and dB' = alpha op(A)^T dY, transposed back where A or B was stored transposed. */
export const gemmGradRule: GradRule = {
  op: 'Gemm',
  inputsToSave: [0, 1],
  saveOutput: false,
  vjp: [
    (c) => {
      const { ta, tb, alpha } = flags(c);
      return ta === 0 ? gemm(c, c.dy, c.input(1), 0, 1 - tb, alpha) : gemm(c, c.input(1), c.dy, tb, 1, alpha);
    },
    (c) => {
      const { ta, tb, alpha } = flags(c);
      return tb === 0 ? gemm(c, c.input(0), c.dy, 1 - ta, 0, alpha) : gemm(c, c.dy, c.input(0), 1, ta, alpha);
    },
    (c) => {
      const { beta } = flags(c);
      const g = c.e.reduceTo(c.dy, c.inputType(2).shape);
      return beta === 1 ? g : c.e.op('Mul', [g, c.e.scalar(beta)]);
    },
  ],
};
