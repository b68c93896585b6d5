// Gather row: picks slices of data along one axis by int64 indices (an embedding-table lookup on axis 0).
import { StudioError } from '../../errors';
import { attrInt } from '../attrs';
import { asInt64, remapTensor, sizeOf } from '../tensor';
import { expectDtype, normAxis, type OpDef } from '../op-def';

/** The Gather row of the op table. */
export const gatherOp: OpDef = {
  op: 'Gather',
  arity: [2, 2],
  attrs: ['axis'],
  infer(ctx) {
    expectDtype(ctx, 1, 'int64');
    const [data, indices] = ctx.inputs;
    const axis = normAxis(attrInt(ctx.node.attrs, 'axis', 0), data.shape.length, 'Gather axis');
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)] }];
  },
  evaluate([data, idxTensor], attrs) {
    const axis = normAxis(attrInt(attrs, 'axis', 0), data.shape.length, 'Gather axis');
    const idx = asInt64(idxTensor, 'Gather indices');
    const size = data.shape[axis];
    const picks = Array.from(idx.data, (v) => {
      const k = Number(v) < 0 ? Number(v) + size : Number(v);
      if (!Number.isInteger(k) || k < 0 || k >= size) throw new StudioError('invalid-argument', `Gather index ${v} is out of range [${-size}, ${size - 1}]`);
      return k;
    });
    const inner = sizeOf(data.shape.slice(axis + 1));
    const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
    const block = picks.length * inner;
    return [
      remapTensor(data, shape, (i) => {
        const o = Math.floor(i / block);
        const r = i - o * block;
        const p = Math.floor(r / inner);
        return (o * size + picks[p]) * inner + (r - p * inner);
      }),
    ];
  },
};
