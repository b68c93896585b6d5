// Squared-distance matrices for the assignment solver, written into a buffer kept between calls (with a 2-D fast path).
import type { Batch } from '../batch';

/**
 * Matrices up to this many entries (a 512 x 512 batch pair, 2 MB) reuse one buffer: zeroing and collecting a fresh
 * 512 KB array for every batch-256 problem took longer than filling it. Larger ones are allocated per call, so a single
 * big solve does not pin its memory for the life of the process.
 */
const KEPT_ENTRIES = 512 * 512;
let kept: Float64Array | null = null;

/**
 * The n x m matrix ||x_i - y_j||^2 (row-major float64) for checked inputs, in a buffer that the next call overwrites
 * when it holds at most KEPT_ENTRIES entries: read it before calling again. Entries equal squaredDistancesUnchecked's.
 */
export function squaredDistancesScratch(x: Batch, y: Batch, n: number, m: number, d: number): Float64Array {
  const size = n * m;
  let out: Float64Array;
  if (size > KEPT_ENTRIES) out = new Float64Array(size);
  else {
    if (!kept || kept.length < size) kept = new Float64Array(KEPT_ENTRIES);
    out = kept.length === size ? kept : kept.subarray(0, size);
  }
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
  // Four coordinates per turn (about twice as fast at d = 32); the sum still runs in coordinate order, so every
  // entry is bit for bit the plain loop's.
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
