// Gemm row: Y = alpha * op(A) @ op(B) + beta * C, op = optional transpose, C broadcast to [M, N].
import { attrFloat, attrInt } from '../attrs';
import { broadcastShapes, broadcastStrides } from '../broadcast';
import { asFloat, formatShape } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';

/** The Gemm row of the op table. */
export const gemmOp: OpDef = {
  op: 'Gemm',
  arity: [2, 3],
  attrs: ['alpha', 'beta', 'transA', 'transB'],
  infer(ctx) {
    const { node, inputs } = ctx;
    for (let i = 0; i < inputs.length; i++) expectDtype(ctx, i, 'float32');
    const [a, b] = inputs;
    if (a.shape.length !== 2 || b.shape.length !== 2) shapeError(node, `A and B must be 2D, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const ta = attrInt(node.attrs, 'transA', 0) !== 0;
    const tb = attrInt(node.attrs, 'transB', 0) !== 0;
    const [m, ka] = ta ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = tb ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (ka !== kb) shapeError(node, `inner dimensions differ: ${ka} vs ${kb}`);
    if (inputs.length === 3) {
      const out = broadcastShapes([m, n], inputs[2].shape);
      if (out[0] !== m || out[1] !== n) shapeError(node, `C ${formatShape(inputs[2].shape)} does not broadcast to [${m}, ${n}]`);
    }
    return [{ dtype: 'float32', shape: [m, n] }];
  },
  evaluate(inputs, attrs) {
    const a = asFloat(inputs[0], 'Gemm A');
    const b = asFloat(inputs[1], 'Gemm B');
    const ta = attrInt(attrs, 'transA', 0) !== 0;
    const tb = attrInt(attrs, 'transB', 0) !== 0;
    const alpha = attrFloat(attrs, 'alpha', 1);
    const beta = attrFloat(attrs, 'beta', 1);
    const m = ta ? a.shape[1] : a.shape[0];
    const k = ta ? a.shape[0] : a.shape[1];
    const n = tb ? b.shape[0] : b.shape[1];
    const out = new Float32Array(m * n);
    const c = inputs[2] ? asFloat(inputs[2], 'Gemm C') : undefined;
    const cs = c ? broadcastStrides(c.shape, [m, n]) : [0, 0];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0; // double accumulation: the reference should be the more exact side
        for (let p = 0; p < k; p++) {
          const av = ta ? a.data[p * m + i] : a.data[i * k + p];
          const bv = tb ? b.data[j * k + p] : b.data[p * n + j];
          acc += av * bv;
        }
        const cv = c ? c.data[i * cs[0] + j * cs[1]] : 0;
        out[i * n + j] = alpha * acc + beta * cv;
      }
    }
    return [{ dtype: 'float32', shape: [m, n], data: out }];
  },
};
