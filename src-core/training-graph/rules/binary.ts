// Gradient rules of the broadcasting binary ops: each VJP is reduced back to its input's shape where that input was broadcast.
import type { GradContext, GradRule } from '../grad-rule';

const toInput = (c: GradContext, i: number, g: string): string => c.e.reduceTo(g, c.inputType(i).shape);

/** z = a + b. */
const addGradRule: GradRule = {
  op: 'Add',
  inputsToSave: [],
  saveOutput: false,
  vjp: (c, i) => toInput(c, i, c.dy),
};

/** z = a - b. */
const subGradRule: GradRule = {
  op: 'Sub',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => toInput(c, 0, c.dy), (c) => toInput(c, 1, c.e.op('Neg', [c.dy]))],
};

/** True when the Mul is SiLU, h * Sigmoid(h): input 1 is a Sigmoid of input 0, with the same shape. */
function isSilu(c: GradContext): boolean {
  const p = c.producer(1);
  const [a, b] = [c.inputType(0).shape, c.inputType(1).shape];
  return p !== undefined && p.op === 'Sigmoid' && p.inputs[0] === c.node.inputs[0] && a.length === b.length && a.every((d, k) => d === b[k]);
}

/**
 * z = a * b. For SiLU, y = h s with s = sigmoid(h), the whole derivative goes to h in one expression,
 * dh = dy s (1 + h - y): four passes over the data instead of six for the product and sigmoid rules apart. The
 * sigmoid then gets nothing from this product (any other use of it still sends its own gradient).
 */
const mulGradRule: GradRule = {
  op: 'Mul',
  inputsToSave: [0, 1],
  saveOutput: true,
  vjp: (c, i) => {
    if (isSilu(c)) {
      if (i === 1) return undefined;
      const [h, s] = [c.input(0), c.input(1)];
      const slope = c.e.op('Mul', [s, c.e.op('Add', [c.e.op('Sub', [h, c.output()]), c.e.scalar(1)])]);
      return c.e.op('Mul', [c.dy, slope]);
    }
    return toInput(c, i, c.e.op('Mul', [c.dy, c.input(1 - i)]));
  },
};

/** z = a / b: da = dy / b, db = -dy z / b. */
const divGradRule: GradRule = {
  op: 'Div',
  inputsToSave: [1],
  saveOutput: true,
  vjp: [
    (c) => toInput(c, 0, c.e.op('Div', [c.dy, c.input(1)])),
    (c) => toInput(c, 1, c.e.op('Neg', [c.e.op('Div', [c.e.op('Mul', [c.dy, c.output()]), c.input(1)])])),
  ],
};

/** z = a ^ b: da = dy b a^(b-1) (finite at a = 0 for b >= 1), db = dy z log a (a > 0). */
const powGradRule: GradRule = {
  op: 'Pow',
  inputsToSave: [0, 1],
  saveOutput: true,
  vjp: [
    (c) => {
      const power = c.e.op('Pow', [c.input(0), c.e.op('Sub', [c.input(1), c.e.scalar(1)])]);
      return toInput(c, 0, c.e.op('Mul', [c.e.op('Mul', [c.dy, c.input(1)]), power]));
    },
    (c) => toInput(c, 1, c.e.op('Mul', [c.e.op('Mul', [c.dy, c.output()]), c.e.op('Log', [c.input(0)])])),
  ],
};

/** The binary rows of the gradient table. */
export const binaryGradRules: readonly GradRule[] = [addGradRule, subGradRule, mulGradRule, divGradRule, powGradRule];
