// Exact linear assignment by shortest augmenting paths (Jonker–Volgenant family, float64, flat arrays).
import type { Batch } from '../batch';
import { StudioError, check, checkAllFinite, checkInteger } from '../errors';
import { auctionDuals } from './auction-prices';
import { checkPointPair } from './cost';
import { squaredDistancesScratch } from './cost-scratch';
import { augmentingRowReduction } from './row-reduction';

/**
 * Passes of augmenting row reduction after the auction (Jonker and Volgenant use two), each trying at most n rows:
 * past that, eviction chains among near-equal columns cost more than the searches that place the last rows.
 */
const ROW_REDUCTION_PASSES = 2;

/** An optimal assignment: row i goes to column perm[i]; cost is the sum of the chosen entries. */
interface Assignment {
  readonly perm: Int32Array;
  readonly cost: number;
}

/**
 * Minimises sum_i cost[i, perm[i]] over injective perm for a row-major nRows x nCols matrix
 * (nRows <= nCols; square by default). Entries must be finite.
 */
export function solveAssignment(cost: Float64Array | Float32Array, nRows: number, nCols = nRows): Assignment {
  checkInteger(nRows, 'nRows', 1);
  checkInteger(nCols, 'nCols', 1);
  check(nRows <= nCols, `assignment needs nRows <= nCols, got ${nRows} x ${nCols}`, 'invalid-shape');
  check(cost.length === nRows * nCols, `cost has ${cost.length} entries, expected ${nRows} x ${nCols}`, 'invalid-shape');
  checkAllFinite(cost, 'cost');
  const c = cost instanceof Float64Array ? cost : Float64Array.from(cost);
  const perm = solveUnchecked(c, nRows, nCols);
  let total = 0;
  for (let i = 0; i < nRows; i++) total += c[i * nCols + perm[i]];
  return { perm, cost: total };
}

/** The assignment of the rows of x to the rows of y (equal counts) minimising total squared distance. */
export function assignSquaredEuclidean(x: Batch, y: Batch): Assignment {
  const [n, m, d] = checkPointPair(x, y, 'source', 'target');
  check(n === m, `exact assignment needs equal batch sizes, got ${n} and ${m}`, 'invalid-shape');
  if (d === 1) return sortedPairing(x.data, y.data, n);
  const c = squaredDistancesScratch(x, y, n, m, d);
  const perm = solveUnchecked(c, n, m);
  let total = 0;
  for (let i = 0; i < n; i++) total += c[i * m + perm[i]];
  return { perm, cost: total };
}

/** In one dimension the k-th smallest x goes with the k-th smallest y: for a convex cost of x - y no pairing is cheaper. */
function sortedPairing(x: ArrayLike<number>, y: ArrayLike<number>, n: number): Assignment {
  const byX = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => x[p] - x[q]);
  const byY = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => y[p] - y[q]);
  const perm = new Int32Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = byX[k];
    const j = byY[k];
    perm[i] = j;
    const e = x[i] - y[j];
    total += e * e;
  }
  return { perm, cost: total };
}

function solveUnchecked(c: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const dist = new Float64Array(nc); // shortest reduced path length to each column
  const path = new Int32Array(nc); // predecessor row of each column on the path tree
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const remaining = new Int32Array(nc);
  const scannedRows = new Int32Array(nr);
  const scannedCols = new Int32Array(nc);

  if (nr === nc) {
    // Square case: auction prices as column duals; every row whose cheapest column is still free takes it (a tight
    // edge), augmenting row reduction places most of the others, and each row's dual is its cheapest reduced cost.
    auctionDuals(c, nr, v);
    const free = scannedRows; // free rows until the searches start
    let nFree = 0;
    for (let i = 0; i < nr; i++) {
      const base = i * nc;
      let best = Infinity;
      let arg = 0;
      for (let j = 0; j < nc; j++) {
        const r = c[base + j] - v[j];
        if (r < best) {
          best = r;
          arg = j;
        }
      }
      if (row4col[arg] === -1) {
        row4col[arg] = i;
        col4row[i] = arg;
      } else free[nFree++] = i;
    }
    const state = { c, n: nr, v, col4row, row4col };
    for (let pass = 0; pass < ROW_REDUCTION_PASSES && nFree > 0; pass++) nFree = augmentingRowReduction(state, free, nFree, nr);
    for (let i = 0; i < nr; i++) {
      const base = i * nc;
      const j = col4row[i];
      if (j !== -1) {
        u[i] = c[base + j] - v[j];
        continue;
      }
      let best = Infinity;
      for (let k = 0; k < nc; k++) {
        const r = c[base + k] - v[k];
        if (r < best) best = r;
      }
      u[i] = best;
    }
  }

  for (let cur = 0; cur < nr; cur++) {
    if (col4row[cur] !== -1) continue;
    // Dijkstra over columns from row `cur`, on reduced costs c - u - v (all >= 0).
    let nRemaining = nc;
    for (let k = 0; k < nc; k++) {
      remaining[k] = nc - k - 1;
      dist[k] = Infinity;
    }
    let nScannedRows = 0;
    let nScannedCols = 0;
    let minVal = 0;
    let sink = -1;
    let i = cur;
    while (sink === -1) {
      scannedRows[nScannedRows++] = i;
      const base = i * nc;
      const ui = u[i];
      let lowest = Infinity;
      let index = -1;
      for (let k = 0; k < nRemaining; k++) {
        const j = remaining[k];
        const r = minVal + c[base + j] - ui - v[j];
        if (r < dist[j]) {
          path[j] = i;
          dist[j] = r;
        }
        const dj = dist[j];
        // Among equal distances prefer a free column: the path ends sooner.
        if (dj < lowest || (dj === lowest && row4col[j] === -1)) {
          lowest = dj;
          index = k;
        }
      }
      if (index < 0 || lowest === Infinity) throw new StudioError('internal', 'assignment search found no augmenting path');
      minVal = lowest;
      const j = remaining[index];
      scannedCols[nScannedCols++] = j;
      remaining[index] = remaining[--nRemaining];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
    }
    // Dual update keeps reduced costs >= 0 and makes the new path tight.
    u[cur] += minVal;
    for (let k = 1; k < nScannedRows; k++) {
      const r = scannedRows[k];
      u[r] += minVal - dist[col4row[r]];
    }
    for (let k = 0; k < nScannedCols; k++) {
      const j = scannedCols[k];
      v[j] -= minVal - dist[j];
    }
    // Augment along the path back to `cur`.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const prev = col4row[r];
      col4row[r] = j;
      if (r === cur) break;
      j = prev;
    }
  }
  return col4row;
}

