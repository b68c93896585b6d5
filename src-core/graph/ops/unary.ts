// Table rows for elementwise float ops of one input (Neg, Sigmoid, Tanh, Exp, Log, Sin, Cos, Sqrt, Relu).
import { asFloat } from '../tensor';
import { expectDtype, type OpDef } from '../op-def';

function sigmoid(x: number): number {
  // two branches so exp never overflows
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** A row for an elementwise float op y = f(x). */
export function unaryOp(op: string, f: (x: number) => number): OpDef {
  return {
    op,
    arity: [1, 1],
    attrs: [],
    infer(ctx) {
      expectDtype(ctx, 0, 'float32');
      return [ctx.inputs[0]];
    },
    evaluate([x]) {
      const a = asFloat(x, `${op} input`);
      const out = new Float32Array(a.data.length);
      for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]);
      return [{ dtype: 'float32', shape: a.shape, data: out }];
    },
  };
}

/** The unary rows of the op table. */
export const unaryOps: readonly OpDef[] = [
  unaryOp('Neg', (x) => -x),
  unaryOp('Sigmoid', sigmoid),
  unaryOp('Tanh', Math.tanh),
  unaryOp('Exp', Math.exp),
  unaryOp('Log', Math.log),
  unaryOp('Sin', Math.sin),
  unaryOp('Cos', Math.cos),
  unaryOp('Sqrt', Math.sqrt),
  unaryOp('Relu', (x) => (x > 0 ? x : 0)),
];
