// Shape and Cast rows: a tensor's run-time shape as int64, and conversion between the IR's two dtypes.
import { StudioError } from '../../errors';
import { attrInt } from '../attrs';
import type { OpDef } from '../op-def';
import type { DType } from '../types';

const ONNX_TYPE: Readonly<Record<number, DType>> = { 1: 'float32', 7: 'int64' };

function castTarget(to: number): DType {
  const t = ONNX_TYPE[to];
  if (!t) throw new StudioError('invalid-argument', `Cast to ONNX type ${to} is not supported (1 float, 7 int64)`);
  return t;
}

/** The Shape row of the op table (whole shape; no start/end). */
export const shapeOp: OpDef = {
  op: 'Shape',
  arity: [1, 1],
  attrs: [],
  infer(ctx) {
    return [{ dtype: 'int64', shape: [ctx.inputs[0].shape.length] }];
  },
  evaluate([x]) {
    return [{ dtype: 'int64', shape: [x.shape.length], data: BigInt64Array.from(x.shape, (d) => BigInt(d)) }];
  },
};

/** The Cast row of the op table, between float32 and int64 (float to int truncates toward zero, as ONNX does). */
export const castOp: OpDef = {
  op: 'Cast',
  arity: [1, 1],
  attrs: ['to'],
  infer(ctx) {
    return [{ dtype: castTarget(attrInt(ctx.node.attrs, 'to', 0)), shape: ctx.inputs[0].shape }];
  },
  evaluate([x], attrs) {
    const to = castTarget(attrInt(attrs, 'to', 0));
    const values = Array.from<number | bigint, number>(x.data, Number);
    if (to === 'float32') return [{ dtype: 'float32', shape: x.shape, data: Float32Array.from(values) }];
    return [{ dtype: 'int64', shape: x.shape, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))) }];
  },
};
