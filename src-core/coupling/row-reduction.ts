// Jonker–Volgenant's augmenting row reduction: free rows take their cheapest column, lowering its dual so they keep it.

/** The state the exact solver shares with its starting heuristics (square problems, row-major cost). */
interface PartialAssignment {
  readonly c: Float64Array;
  readonly n: number;
  /** Column duals. */
  readonly v: Float64Array;
  readonly col4row: Int32Array;
  readonly row4col: Int32Array;
}

/**
 * Runs one pass of augmenting row reduction over free[0..nFree) and returns how many rows it leaves free, listed first
 * in `free` (rows evicted on a tie, and any left when the step cap is reached). Keeps the invariant the shortest-path
 * finish relies on: every assigned row's column is a cheapest one under the reduced costs c - v. A row whose cheapest
 * column is strictly below its second takes it and lowers that column's dual by the gap, so it stays cheapest for the
 * row and the evicted owner, tried next, must look elsewhere; on a tie the row takes the second column instead. At most
 * maxSteps rows are tried, so a price war among near-equal columns cannot run on; the finish handles what is left.
 */
export function augmentingRowReduction(s: PartialAssignment, free: Int32Array, nFree: number, maxSteps: number): number {
  const { c, n, v, col4row, row4col } = s;
  let k = 0;
  let left = 0;
  let steps = 0;
  while (k < nFree) {
    const i = free[k++];
    if (++steps > maxSteps) {
      free[left++] = i;
      while (k < nFree) free[left++] = free[k++];
      break;
    }
    const base = i * n;
    let u1 = Infinity;
    let u2 = Infinity;
    let j1 = 0;
    let j2 = -1;
    for (let j = 0; j < n; j++) {
      const h = c[base + j] - v[j];
      if (h < u2) {
        if (h < u1) {
          u2 = u1;
          j2 = j1;
          u1 = h;
          j1 = j;
        } else {
          u2 = h;
          j2 = j;
        }
      }
    }
    let i0 = row4col[j1];
    const strict = u1 < u2;
    if (strict) v[j1] -= u2 - u1;
    else if (i0 >= 0 && j2 >= 0) {
      j1 = j2;
      i0 = row4col[j2];
    }
    if (i0 >= 0) col4row[i0] = -1;
    col4row[i] = j1;
    row4col[j1] = i;
    if (i0 >= 0) {
      // after a strict gain the evicted row is retried at once; after a tie it waits for the next pass (writes stay
      // behind the read position k, so the list shares the array)
      if (strict) free[--k] = i0;
      else free[left++] = i0;
    }
  }
  return left;
}
