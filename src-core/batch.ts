// Batches: one flat float buffer with its shape [n, ...item shape]; rows are items.
import { StudioError, checkInteger } from './errors';

/** A flat float buffer; Float64Array where a test needs more precision than float32. */
export type FloatArray = Float32Array | Float64Array;

/** n items of shape shape.slice(1), stored row-major in data. */
export interface Batch<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

/** Wraps data as a batch, checking that the shape matches its length. */
export function batch<A extends FloatArray>(data: A, shape: readonly number[]): Batch<A> {
  if (shape.length < 1) throw new StudioError('invalid-shape', 'a batch shape needs at least the batch dimension');
  for (const s of shape) checkInteger(s, 'shape entry');
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new StudioError('invalid-shape', `shape [${shape.join(', ')}] holds ${size} numbers but the buffer has ${data.length}`);
  }
  return { data, shape: [...shape] };
}

/** Number of items (rows). */
export function rows(b: Batch): number {
  return b.shape[0];
}

/** Numbers per item (product of the item shape). */
export function rowSize(b: Batch): number {
  let d = 1;
  for (let i = 1; i < b.shape.length; i++) d *= b.shape[i];
  return d;
}

/** A zero batch of the given shape, float32 unless another constructor is given. */
export function zeros(shape: readonly number[], kind: 'float32' | 'float64' = 'float32'): Batch {
  const size = shape.reduce((a, b) => a * b, 1);
  return batch(kind === 'float64' ? new Float64Array(size) : new Float32Array(size), shape);
}

/** A new buffer of the same type and length as a. */
export function like<A extends FloatArray>(a: A): A {
  return (a instanceof Float64Array ? new Float64Array(a.length) : new Float32Array(a.length)) as A;
}

/** A copy of a batch (same buffer type). */
export function cloneBatch<A extends FloatArray>(b: Batch<A>): Batch<A> {
  return { data: b.data.slice() as A, shape: [...b.shape] };
}
