// Expand row: broadcasts a tensor to a constant shape (entries of 1 keep the input's dimension, as in ONNX).
import { broadcastShapes, broadcastStrides } from '../broadcast';
import { asInt64, int64Values, remapTensor, stridesOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';

/** The Expand row of the op table. */
export const expandOp: OpDef = {
  op: 'Expand',
  arity: [2, 2],
  attrs: [],
  infer(ctx) {
    expectDtype(ctx, 1, 'int64');
    const s = ctx.constant(1);
    if (!s) shapeError(ctx.node, 'the target shape must be a graph constant');
    return [{ dtype: ctx.inputs[0].dtype, shape: broadcastShapes(ctx.inputs[0].shape, int64Values(asInt64(s, 'Expand shape'))) }];
  },
  evaluate([x, s]) {
    const shape = broadcastShapes(x.shape, int64Values(asInt64(s, 'Expand shape'))) as number[];
    const from = broadcastStrides(x.shape, shape);
    const outStrides = stridesOf(shape);
    return [
      remapTensor(x, shape, (i) => {
        let src = 0;
        let r = i;
        for (let d = 0; d < shape.length; d++) {
          const q = Math.floor(r / outStrides[d]);
          r -= q * outStrides[d];
          src += q * from[d];
        }
        return src;
      }),
    ];
  },
};
