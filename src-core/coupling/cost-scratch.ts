// Squared-distance matrices for the assignment solver, written into a buffer kept between calls.
import type { Batch } from '../batch';
import { fillSquaredDistances } from './cost';

/**
 * Matrices up to this many entries (a 512 x 512 batch pair, 2 MB) reuse one buffer: zeroing and collecting a fresh
 * 512 KB array for every batch-256 problem took longer than filling it. Larger ones are allocated per call, so a single
 * big solve does not pin its memory for the life of the process.
 */
const KEPT_ENTRIES = 512 * 512;
let kept: Float64Array | null = null;

/**
 * The n x m matrix ||x_i - y_j||^2 (row-major float64) for checked inputs, in a buffer that the next call overwrites
 * when it holds at most KEPT_ENTRIES entries: read it before calling again.
 */
export function squaredDistancesScratch(x: Batch, y: Batch, n: number, m: number, d: number): Float64Array {
  const size = n * m;
  let out: Float64Array;
  if (size > KEPT_ENTRIES) out = new Float64Array(size);
  else {
    if (!kept || kept.length < size) kept = new Float64Array(KEPT_ENTRIES);
    out = kept.length === size ? kept : kept.subarray(0, size);
  }
  return fillSquaredDistances(out, x, y, n, m, d);
}
