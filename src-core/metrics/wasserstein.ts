// Wasserstein-2 estimates: exact by assignment (equal sizes), 1D by quantiles, sliced over random directions.
import type { Batch } from '../batch';
import { check, checkAllFinite, checkInteger } from '../errors';
import { assignSquaredEuclidean } from '../coupling/assignment';
import { checkPointPair } from '../coupling/cost';
import type { Rng } from '../rng';

/** Exact W2^2 between two equal-size empirical measures: the optimal assignment's mean squared distance. */
export function exactW2Squared(x: Batch, y: Batch): number {
  const [n, m] = checkPointPair(x, y);
  check(n === m, `exact W2 needs samples of equal size, got ${n} and ${m} (use slicedW2Squared)`, 'invalid-shape');
  return assignSquaredEuclidean(x, y).cost / n;
}

/**
 * W2^2 between two 1D empirical measures given as ascending arrays: the integral over u in (0, 1)
 * of (F^-1(u) - G^-1(u))^2, exact for step quantile functions, so sizes may differ.
 */
export function w2SquaredSorted1d(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  check(n > 0 && m > 0, 'w2SquaredSorted1d needs two non-empty arrays');
  let i = 0;
  let j = 0;
  let prev = 0; // current position u, in units of 1 / (n m)
  let total = 0;
  while (i < n && j < m) {
    // Pieces end at (i + 1) / n and (j + 1) / m; compare in integers to keep ties exact.
    const endA = (i + 1) * m;
    const endB = (j + 1) * n;
    const end = Math.min(endA, endB);
    const diff = a[i] - b[j];
    total += (end - prev) * diff * diff;
    prev = end;
    if (endA === end) i++;
    if (endB === end) j++;
  }
  return total / (n * m);
}

/** count unit directions in R^d, each a normalised standard Gaussian vector (uniform on the sphere), row-major. */
export function randomDirections(d: number, count: number, rng: Rng): Float64Array {
  checkInteger(d, 'd', 1);
  checkInteger(count, 'count', 1);
  const out = new Float64Array(d * count);
  for (let k = 0; k < count; k++) {
    let norm = 0;
    while (norm < 1e-12) {
      norm = 0;
      for (let c = 0; c < d; c++) {
        const z = rng.normal();
        out[k * d + c] = z;
        norm += z * z;
      }
    }
    const inv = 1 / Math.sqrt(norm);
    for (let c = 0; c < d; c++) out[k * d + c] *= inv;
  }
  return out;
}

/** Settings of the sliced estimate: explicit directions, or a count drawn from rng. */
interface SlicedW2Options {
  /** Unit directions, row-major (count x d); used as given. */
  directions?: Float64Array;
  /** Number of random directions when none are given; default 128. */
  projections?: number;
  rng?: Rng;
}

/** Sliced W2^2: the mean over directions theta of the 1D W2^2 between the projections; sizes may differ. */
export function slicedW2Squared(x: Batch, y: Batch, options: SlicedW2Options): number {
  const [n, m, d] = checkPointPair(x, y);
  let dirs = options.directions;
  if (dirs) {
    check(dirs.length > 0 && dirs.length % d === 0, `directions must hold whole rows of size ${d}`, 'invalid-shape');
    checkAllFinite(dirs, 'directions');
  } else {
    check(options.rng !== undefined, 'slicedW2Squared needs directions or an rng to draw them');
    dirs = randomDirections(d, options.projections ?? 128, options.rng);
  }
  const count = dirs.length / d;
  const px = new Float64Array(n);
  const py = new Float64Array(m);
  let total = 0;
  for (let k = 0; k < count; k++) {
    project(x.data, n, d, dirs, k, px);
    project(y.data, m, d, dirs, k, py);
    px.sort();
    py.sort();
    total += w2SquaredSorted1d(px, py);
  }
  return total / count;
}

function project(data: Float32Array | Float64Array, n: number, d: number, dirs: Float64Array, k: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += data[i * d + c] * dirs[k * d + c];
    out[i] = s;
  }
}
