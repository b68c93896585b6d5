// Point-set checks and squared-Euclidean cost matrices shared by the couplings and the metrics.
import type { Batch } from '../batch';
import { rows, rowSize } from '../batch';
import { StudioError, checkAllFinite } from '../errors';

/** Throws unless b is a non-empty batch of finite numbers; returns [n, d]. */
function checkPoints(b: Batch, what: string): [number, number] {
  if (!b || !b.data || !Array.isArray(b.shape) || b.shape.length < 1) {
    throw new StudioError('invalid-shape', `${what} must be a batch with a shape`);
  }
  const n = rows(b);
  const d = rowSize(b);
  if (n < 1) throw new StudioError('invalid-shape', `${what} is empty (0 rows)`);
  if (d < 1) throw new StudioError('invalid-shape', `${what} has rows of size 0`);
  if (n * d !== b.data.length) {
    throw new StudioError('invalid-shape', `${what} has shape [${b.shape.join(', ')}] but ${b.data.length} numbers`);
  }
  checkAllFinite(b.data, what);
  return [n, d];
}

/** Checks two point sets of the same row size; returns [n, m, d]. */
export function checkPointPair(x: Batch, y: Batch, xName = 'x', yName = 'y'): [number, number, number] {
  const [n, d] = checkPoints(x, xName);
  const [m, dy] = checkPoints(y, yName);
  if (d !== dy) {
    throw new StudioError('invalid-shape', `dimension mismatch: ${xName} has rows of size ${d}, ${yName} rows of size ${dy}`);
  }
  return [n, m, d];
}

/** The n x m matrix of squared distances ||x_i - y_j||^2 (row-major float64); inputs already checked. */
export function squaredDistancesUnchecked(x: Batch, y: Batch, n: number, m: number, d: number): Float64Array {
  return fillSquaredDistances(new Float64Array(n * m), x, y, n, m, d);
}

/**
 * Writes ||x_i - y_j||^2 into out (row-major, at least n x m) for checked inputs and returns it. Each sum runs in
 * coordinate order, so every entry is the same to the bit whichever loop wrote it.
 */
export function fillSquaredDistances(out: Float64Array, x: Batch, y: Batch, n: number, m: number, d: number): Float64Array {
  const a = x.data;
  const b = y.data;
  if (d === 2) {
    for (let i = 0; i < n; i++) {
      const a0 = a[2 * i];
      const a1 = a[2 * i + 1];
      const ro = i * m;
      for (let j = 0; j < m; j++) {
        const e0 = a0 - b[2 * j];
        const e1 = a1 - b[2 * j + 1];
        out[ro + j] = e0 * e0 + e1 * e1;
      }
    }
    return out;
  }
  // four coordinates per turn: about twice as fast at d = 32
  const d4 = d - (d % 4);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    const ro = i * m;
    for (let j = 0; j < m; j++) {
      const jo = j * d;
      let s = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        const e0 = a[io + k] - b[jo + k];
        const e1 = a[io + k + 1] - b[jo + k + 1];
        const e2 = a[io + k + 2] - b[jo + k + 2];
        const e3 = a[io + k + 3] - b[jo + k + 3];
        s += e0 * e0;
        s += e1 * e1;
        s += e2 * e2;
        s += e3 * e3;
      }
      for (; k < d; k++) {
        const e = a[io + k] - b[jo + k];
        s += e * e;
      }
      out[ro + j] = s;
    }
  }
  return out;
}

/** The n x m matrix of squared Euclidean distances between the rows of x and of y. */
export function squaredDistances(x: Batch, y: Batch): Float64Array {
  const [n, m, d] = checkPointPair(x, y);
  return squaredDistancesUnchecked(x, y, n, m, d);
}
