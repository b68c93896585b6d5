// InstanceNormalization row: each (n, c) slice of X [N, C, ...] normalised over its other axes, then scale[c] and bias[c] (group norm over a reshape).
import { attrFloat } from '../attrs';
import { asFloat, formatShape, sizeOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';

/** ONNX's default epsilon of InstanceNormalization. */
export const INSTANCE_NORM_EPS = 1e-5;

/** The InstanceNormalization row of the op table: X [N, C, D1, ...] (fixed D's), scale [C], bias [C]. */
export const instanceNormOp: OpDef = {
  op: 'InstanceNormalization',
  arity: [3, 3],
  attrs: ['epsilon'],
  infer(ctx) {
    ctx.inputs.forEach((_, i) => expectDtype(ctx, i, 'float32'));
    const [x, scale, bias] = ctx.inputs;
    if (x.shape.length < 3) shapeError(ctx.node, `X must be [N, C, D1, ...], got ${formatShape(x.shape)}`);
    if (x.shape.slice(2).some((d) => typeof d !== 'number')) shapeError(ctx.node, `the normalised axes of ${formatShape(x.shape)} must be fixed`);
    for (const [what, t] of [['scale', scale], ['bias', bias]] as const) {
      if (t.shape.length !== 1 || t.shape[0] !== x.shape[1]) shapeError(ctx.node, `${what} must be [${x.shape[1]}], got ${formatShape(t.shape)}`);
    }
    if (!(attrFloat(ctx.node.attrs, 'epsilon', INSTANCE_NORM_EPS) > 0)) shapeError(ctx.node, 'epsilon must be positive');
    return [{ dtype: 'float32', shape: x.shape }];
  },
  evaluate(inputs, attrs) {
    const x = asFloat(inputs[0], 'InstanceNormalization X');
    const scale = asFloat(inputs[1], 'InstanceNormalization scale').data;
    const bias = asFloat(inputs[2], 'InstanceNormalization bias').data;
    const eps = attrFloat(attrs, 'epsilon', INSTANCE_NORM_EPS);
    const c = x.shape[1];
    const size = sizeOf(x.shape.slice(2));
    const out = new Float32Array(x.data.length);
    // two passes in float64: the mean, then the mean square of the centred values
    for (let s = 0; s < x.data.length / size; s++) {
      const at = s * size;
      let mean = 0;
      for (let i = 0; i < size; i++) mean += x.data[at + i];
      mean /= size;
      let variance = 0;
      for (let i = 0; i < size; i++) variance += (x.data[at + i] - mean) ** 2;
      variance /= size;
      const k = scale[s % c] / Math.sqrt(variance + eps);
      for (let i = 0; i < size; i++) out[at + i] = (x.data[at + i] - mean) * k + bias[s % c];
    }
    return [{ dtype: 'float32', shape: [...x.shape], data: out }];
  },
};
