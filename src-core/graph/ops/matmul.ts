// MatMul row for A [..., K] @ B [K, M] (a batch of rows times one matrix); other forms can be added here.
import { asFloat, formatShape, sizeOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';

/** The MatMul row of the op table. */
export const matMulOp: OpDef = {
  op: 'MatMul',
  arity: [2, 2],
  attrs: [],
  infer(ctx) {
    expectDtype(ctx, 0, 'float32');
    expectDtype(ctx, 1, 'float32');
    const [a, b] = ctx.inputs;
    if (a.shape.length < 1 || b.shape.length !== 2) {
      shapeError(ctx.node, `supported form is A [..., K] @ B [K, M]; got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    const k = a.shape[a.shape.length - 1];
    if (k !== b.shape[0]) shapeError(ctx.node, `inner dimensions differ: ${k} vs ${b.shape[0]}`);
    return [{ dtype: 'float32', shape: [...a.shape.slice(0, -1), b.shape[1]] }];
  },
  evaluate(inputs) {
    const a = asFloat(inputs[0], 'MatMul A');
    const b = asFloat(inputs[1], 'MatMul B');
    const k = b.shape[0];
    const m = b.shape[1];
    const outShape = [...a.shape.slice(0, -1), m];
    const rows = sizeOf(a.shape.slice(0, -1));
    const out = new Float32Array(rows * m);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a.data[i * k + p] * b.data[p * m + j];
        out[i * m + j] = acc;
      }
    }
    return [{ dtype: 'float32', shape: outShape, data: out }];
  },
};
