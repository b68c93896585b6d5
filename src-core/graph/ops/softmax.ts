// Softmax row: exp(x - max) / sum over the last axis (ONNX opset 13+ semantics; other axes are refused).
import { StudioError } from '../../errors';
import { attrInt } from '../attrs';
import { asFloat } from '../tensor';
import { expectDtype, normAxis, type OpDef } from '../op-def';
import type { Attrs } from '../types';

function checkLastAxis(attrs: Attrs, rank: number): void {
  const axis = normAxis(attrInt(attrs, 'axis', -1), rank, 'Softmax axis');
  if (axis !== rank - 1) throw new StudioError('invalid-argument', `Softmax is supported over the last axis only, got axis ${axis} of rank ${rank}`);
}

/** The Softmax row of the op table. */
export const softmaxOp: OpDef = {
  op: 'Softmax',
  arity: [1, 1],
  attrs: ['axis'],
  infer(ctx) {
    expectDtype(ctx, 0, 'float32');
    checkLastAxis(ctx.node.attrs, ctx.inputs[0].shape.length);
    return [{ dtype: 'float32', shape: ctx.inputs[0].shape }];
  },
  evaluate([input], attrs) {
    const x = asFloat(input, 'Softmax input');
    checkLastAxis(attrs, x.shape.length);
    const d = x.shape[x.shape.length - 1];
    const out = new Float32Array(x.data.length);
    for (let r = 0; r < x.data.length; r += d) {
      let max = -Infinity;
      for (let j = 0; j < d; j++) max = Math.max(max, x.data[r + j]);
      let sum = 0;
      for (let j = 0; j < d; j++) sum += Math.exp(x.data[r + j] - max);
      for (let j = 0; j < d; j++) out[r + j] = Math.exp(x.data[r + j] - max) / sum;
    }
    return [{ dtype: 'float32', shape: [...x.shape], data: out }];
  },
};
