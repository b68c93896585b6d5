// Gradient rules of the elementwise unary ops, one table row each: dx = dy * f'(x), written with the forward value that is cheapest.
import type { GradContext, GradRule } from '../grad-rule';

function row(op: string, saves: 'input' | 'output', dx: (c: GradContext) => string): GradRule {
  return { op, inputsToSave: saves === 'input' ? [0] : [], saveOutput: saves === 'output', vjp: [dx] };
}

/** The unary rows of the gradient table. */
export const unaryGradRules: readonly GradRule[] = [
  row('Neg', 'input', (c) => c.e.op('Neg', [c.dy])),
  // sigma' = y (1 - y)
  row('Sigmoid', 'output', (c) => c.e.op('Mul', [c.dy, c.e.op('Mul', [c.output(), c.e.op('Sub', [c.e.scalar(1), c.output()])])])),
  // tanh' = 1 - y^2
  row('Tanh', 'output', (c) => c.e.op('Mul', [c.dy, c.e.op('Sub', [c.e.scalar(1), c.e.op('Mul', [c.output(), c.output()])])])),
  row('Exp', 'output', (c) => c.e.op('Mul', [c.dy, c.output()])),
  row('Log', 'input', (c) => c.e.op('Div', [c.dy, c.input(0)])),
  row('Sin', 'input', (c) => c.e.op('Mul', [c.dy, c.e.op('Cos', [c.input(0)])])),
  row('Cos', 'input', (c) => c.e.op('Neg', [c.e.op('Mul', [c.dy, c.e.op('Sin', [c.input(0)])])])),
  // sqrt' = 1 / (2 y)
  row('Sqrt', 'output', (c) => c.e.op('Div', [c.e.op('Mul', [c.dy, c.e.scalar(0.5)]), c.output()])),
  // Sign(relu(x)) is the 0/1 mask of x > 0 (0 at the kink, as tfjs and PyTorch take it)
  row('Relu', 'output', (c) => c.e.op('Mul', [c.dy, c.e.op('Sign', [c.output()])])),
];
