// Table rows for broadcasting elementwise float ops of two inputs (Add, Sub, Mul, Div, Pow).
import { broadcastBinary, broadcastShapes } from '../broadcast';
import { asFloat } from '../tensor';
import { expectDtype, type OpDef } from '../op-def';

/** A row for a broadcasting elementwise float op z = f(x, y). */
export function binaryOp(op: string, f: (x: number, y: number) => number): OpDef {
  return {
    op,
    arity: [2, 2],
    attrs: [],
    infer(ctx) {
      expectDtype(ctx, 0, 'float32');
      expectDtype(ctx, 1, 'float32');
      return [{ dtype: 'float32', shape: broadcastShapes(ctx.inputs[0].shape, ctx.inputs[1].shape) }];
    },
    evaluate([a, b]) {
      return [broadcastBinary(asFloat(a, `${op} input A`), asFloat(b, `${op} input B`), f)];
    },
  };
}

/** The binary rows of the op table. */
export const binaryOps: readonly OpDef[] = [
  binaryOp('Add', (x, y) => x + y),
  binaryOp('Sub', (x, y) => x - y),
  binaryOp('Mul', (x, y) => x * y),
  binaryOp('Div', (x, y) => x / y),
  binaryOp('Pow', (x, y) => Math.pow(x, y)),
];
