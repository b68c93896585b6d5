// Concat row: joins tensors of equal rank along one axis; the other dimensions must agree.
import { StudioError } from '../../errors';
import { attrInt } from '../attrs';
import { formatShape, sizeOf } from '../tensor';
import { normAxis, shapeError, type OpDef } from '../op-def';
import type { Dim } from '../types';

/** The Concat row of the op table. */
export const concatOp: OpDef = {
  op: 'Concat',
  arity: [1, Infinity],
  attrs: ['axis'],
  infer({ node, inputs }) {
    const first = inputs[0];
    const axis = normAxis(attrInt(node.attrs, 'axis', Number.NaN), first.shape.length, 'Concat axis');
    const shape: Dim[] = [...first.shape];
    for (const t of inputs.slice(1)) {
      if (t.dtype !== first.dtype) shapeError(node, `inputs mix ${first.dtype} and ${t.dtype}`);
      if (t.shape.length !== first.shape.length) shapeError(node, `ranks differ: ${formatShape(first.shape)} vs ${formatShape(t.shape)}`);
      t.shape.forEach((d, i) => {
        if (i !== axis && d !== shape[i]) shapeError(node, `dimension ${i} differs: ${formatShape(first.shape)} vs ${formatShape(t.shape)}`);
      });
      const a = shape[axis];
      const b = t.shape[axis];
      if (typeof a !== 'number' || typeof b !== 'number') shapeError(node, 'the concatenation axis must have fixed sizes');
      shape[axis] = a + b;
    }
    return [{ dtype: first.dtype, shape }];
  },
  evaluate(inputs, attrs) {
    const first = inputs[0];
    const axis = normAxis(attrInt(attrs, 'axis', Number.NaN), first.shape.length, 'Concat axis');
    if (inputs.some((t) => t.dtype !== first.dtype)) throw new StudioError('invalid-argument', 'Concat inputs mix dtypes');
    const outer = sizeOf(first.shape.slice(0, axis));
    const inner = sizeOf(first.shape.slice(axis + 1));
    // each input contributes one contiguous band of width shape[axis] * inner per outer index
    const widths = inputs.map((t) => t.shape[axis] * inner);
    const total = widths.reduce((s, w) => s + w, 0);
    const shape = [...first.shape];
    shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
    if (first.dtype === 'float32') {
      const data = new Float32Array(outer * total);
      const parts = inputs.map((t) => t.data as Float32Array);
      let pos = 0;
      for (let o = 0; o < outer; o++) {
        parts.forEach((src, k) => {
          data.set(src.subarray(o * widths[k], (o + 1) * widths[k]), pos);
          pos += widths[k];
        });
      }
      return [{ dtype: 'float32', shape, data }];
    }
    const data = new BigInt64Array(outer * total);
    const parts = inputs.map((t) => t.data as BigInt64Array);
    let pos = 0;
    for (let o = 0; o < outer; o++) {
      parts.forEach((src, k) => {
        data.set(src.subarray(o * widths[k], (o + 1) * widths[k]), pos);
        pos += widths[k];
      });
    }
    return [{ dtype: 'int64', shape, data }];
  },
};
