// Gradient rules of the attention pieces: Einsum (each VJP is an einsum of the same kind), Softmax, and Expand (nearest upsampling).
import { int } from '../../graph/attrs';
import { einsumTerms } from '../../graph/ops/einsum';
import type { GradRule } from '../grad-rule';

/** Einsum a,b->out: dA = einsum(out,b->a)(dY, B), dB = einsum(a,out->b)(A, dY). */
export const einsumGradRule: GradRule = {
  op: 'Einsum',
  inputsToSave: [0, 1],
  saveOutput: false,
  vjp: [
    (c) => {
      const t = einsumTerms(c.node.attrs);
      return c.e.op('Einsum', [c.dy, c.input(1)], { equation: { kind: 'string', value: `${t.out},${t.b}->${t.a}` } });
    },
    (c) => {
      const t = einsumTerms(c.node.attrs);
      return c.e.op('Einsum', [c.input(0), c.dy], { equation: { kind: 'string', value: `${t.a},${t.out}->${t.b}` } });
    },
  ],
};

/** Softmax over the last axis: dX = Y (dY - sum(dY Y)). */
export const softmaxGradRule: GradRule = {
  op: 'Softmax',
  inputsToSave: [],
  saveOutput: true,
  vjp: [
    (c) => {
      const y = c.output();
      const last = c.e.ints([c.outputType().shape.length - 1]);
      const dot = c.e.op('ReduceSum', [c.e.op('Mul', [c.dy, y]), last], { keepdims: int(1) });
      return c.e.op('Mul', [y, c.e.op('Sub', [c.dy, dot])]);
    },
  ],
};

/** Expand: the copies' gradients are summed back to the input's shape; the shape input gets none. */
export const expandGradRule: GradRule = {
  op: 'Expand',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => c.e.reduceTo(c.dy, c.inputType(0).shape), null],
};
