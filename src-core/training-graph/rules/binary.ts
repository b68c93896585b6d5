// Gradient rules of the broadcasting binary ops: each VJP is reduced back to its input's shape where that input was broadcast.
import type { GradContext, GradRule } from '../grad-rule';

const toInput = (c: GradContext, i: number, g: string): string => c.e.reduceTo(g, c.inputType(i).shape);

/** z = a + b. */
export const addGradRule: GradRule = {
  op: 'Add',
  inputsToSave: [],
  saveOutput: false,
  vjp: (c, i) => toInput(c, i, c.dy),
};

/** z = a - b. */
export const subGradRule: GradRule = {
  op: 'Sub',
  inputsToSave: [],
  saveOutput: false,
  vjp: [(c) => toInput(c, 0, c.dy), (c) => toInput(c, 1, c.e.op('Neg', [c.dy]))],
};

/** z = a * b. */
export const mulGradRule: GradRule = {
  op: 'Mul',
  inputsToSave: [0, 1],
  saveOutput: false,
  vjp: (c, i) => toInput(c, i, c.e.op('Mul', [c.dy, c.input(1 - i)])),
};

/** z = a / b: da = dy / b, db = -dy z / b. */
export const divGradRule: GradRule = {
  op: 'Div',
  inputsToSave: [1],
  saveOutput: true,
  vjp: [
    (c) => toInput(c, 0, c.e.op('Div', [c.dy, c.input(1)])),
    (c) => toInput(c, 1, c.e.op('Neg', [c.e.op('Div', [c.e.op('Mul', [c.dy, c.output()]), c.input(1)])])),
  ],
};

/** z = a ^ b: da = dy b a^(b-1) (finite at a = 0 for b >= 1), db = dy z log a (a > 0). */
export const powGradRule: GradRule = {
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
