// NumPy-style broadcasting for symbolic shapes (inference) and concrete ones (evaluation).
import { StudioError } from '../errors';
import { formatShape, sizeOf, stridesOf } from './tensor';
import type { Dim, FloatTensor, Shape } from './types';

/** The broadcast of two symbolic shapes; throws invalid-shape when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<Dim>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else throw new StudioError('invalid-shape', `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
  }
  return out;
}

/** Strides of a concrete shape read as if broadcast to outShape (0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const s = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : s[i - off]));
}

/** Applies f elementwise over two broadcast float tensors. */
export function broadcastBinary(a: FloatTensor, b: FloatTensor, f: (x: number, y: number) => number): FloatTensor {
  const shape = broadcastShapes(a.shape, b.shape) as number[];
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  if (a.data.length === n && b.data.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a.data[i], b.data[i]);
    return { dtype: 'float32', shape, data: out };
  }
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    out[i] = f(a.data[ia], b.data[ib]);
    // odometer increment over the output index, moving both read positions
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { dtype: 'float32', shape, data: out };
}
