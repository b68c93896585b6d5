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
  const a = x.data;
  const b = y.data;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    const ro = i * m;
    for (let j = 0; j < m; j++) {
      const jo = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = a[io + k] - b[jo + k];
        s += diff * diff;
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
