// Tensor helpers: construction with shape checks, sizes, strides and int64 conversion.
import { StudioError, checkInteger } from '../errors';
import type { FloatTensor, Int64Tensor, Shape, Tensor } from './types';

/** Number of elements of a concrete shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a concrete shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

function checkShape(shape: readonly number[], length: number): void {
  for (const d of shape) checkInteger(d, 'tensor dimension');
  if (sizeOf(shape) !== length) {
    throw new StudioError('invalid-shape', `shape [${shape.join(', ')}] holds ${sizeOf(shape)} elements but the data has ${length}`);
  }
}

/** A float32 tensor over data (not copied); throws if the shape does not match the length. */
export function floatTensor(data: Float32Array | readonly number[], shape: readonly number[]): FloatTensor {
  const d = data instanceof Float32Array ? data : Float32Array.from(data);
  checkShape(shape, d.length);
  return { dtype: 'float32', shape: [...shape], data: d };
}

/** An int64 tensor from bigints or integer numbers; throws if the shape does not match the length. */
export function int64Tensor(data: BigInt64Array | readonly number[], shape: readonly number[]): Int64Tensor {
  let d: BigInt64Array;
  if (data instanceof BigInt64Array) d = data;
  else {
    d = new BigInt64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      checkInteger(Math.abs(data[i]), 'int64 element');
      d[i] = BigInt(data[i]);
    }
  }
  checkShape(shape, d.length);
  return { dtype: 'int64', shape: [...shape], data: d };
}

/** Throws unless the tensor is float32; returns it narrowed. */
export function asFloat(t: Tensor, what: string): FloatTensor {
  if (t.dtype !== 'float32') throw new StudioError('invalid-argument', `${what} must be float32, got ${t.dtype}`);
  return t;
}

/** Throws unless the tensor is int64; returns it narrowed. */
export function asInt64(t: Tensor, what: string): Int64Tensor {
  if (t.dtype !== 'int64') throw new StudioError('invalid-argument', `${what} must be int64, got ${t.dtype}`);
  return t;
}

/** The int64 elements as safe JavaScript integers (throws beyond 2^53). */
export function int64Values(t: Int64Tensor): number[] {
  const out: number[] = [];
  for (const v of t.data) {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new StudioError('invalid-argument', `int64 value ${v} is out of the safe integer range`);
    out.push(n);
  }
  return out;
}

/** A shape as text, e.g. [N, 2]. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** A tensor of the given shape whose element i is t's element source(i); keeps the dtype. */
export function remapTensor(t: Tensor, shape: readonly number[], source: (i: number) => number): Tensor {
  const n = sizeOf(shape);
  if (t.dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = t.data[source(i)];
    return { dtype: 'float32', shape: [...shape], data: out };
  }
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = t.data[source(i)];
  return { dtype: 'int64', shape: [...shape], data: out };
}
