// Drawing index pairs (i, j) from a transport plan with a seeded generator.
import { check, checkAllFinite, checkInteger } from '../errors';
import type { Rng } from '../rng';
import type { SparsePlan } from './scaled-sinkhorn';

/** Index pairs: pair k is (rows[k], cols[k]). */
interface IndexPairs {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
}

function checkPlan(plan: Float64Array, n: number, m: number): void {
  checkInteger(n, 'n', 1);
  checkInteger(m, 'm', 1);
  check(plan.length === n * m, `plan has ${plan.length} entries, expected ${n} x ${m}`, 'invalid-shape');
  checkAllFinite(plan, 'plan');
}

/** Index of the first cumulative entry exceeding u (cum ascending, last entry the total). */
function searchCumulative(cum: Float64Array, from: number, count: number, u: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[from + mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** For every source row i, one column j drawn from the row's conditional P_ij / sum_j P_ij. */
export function samplePlanRows(plan: Float64Array, n: number, m: number, rng: Rng): Int32Array {
  checkPlan(plan, n, m);
  const cum = new Float64Array(m);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const p = plan[i * m + j];
      check(p >= 0, `plan[${i}, ${j}] is negative`);
      s += p;
      cum[j] = s;
    }
    check(s > 0, `plan row ${i} has no mass`);
    out[i] = searchCumulative(cum, 0, m, rng.uniform() * s);
  }
  return out;
}

/** `count` pairs drawn independently from the whole plan (entries as probabilities, after normalising). */
export function samplePlanPairs(plan: Float64Array, n: number, m: number, count: number, rng: Rng): IndexPairs {
  checkPlan(plan, n, m);
  checkInteger(count, 'count', 0);
  const cum = new Float64Array(n * m);
  let s = 0;
  for (let k = 0; k < n * m; k++) {
    check(plan[k] >= 0, `plan entry ${k} is negative`);
    s += plan[k];
    cum[k] = s;
  }
  check(s > 0, 'plan has no mass');
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const k = searchCumulative(cum, 0, n * m, rng.uniform() * s);
    rows[t] = Math.floor(k / m);
    cols[t] = k - rows[t] * m;
  }
  return { rows, cols };
}

/** For every row i of a sparse plan, one column drawn from the row's conditional (as samplePlanRows does for a dense plan). */
export function sampleSparseRows(plan: SparsePlan, rng: Rng): Int32Array {
  const { n, rowStart, cols, vals } = plan;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const from = rowStart[i];
    const to = rowStart[i + 1];
    let s = 0;
    for (let q = from; q < to; q++) s += vals[q];
    check(s > 0, `plan row ${i} has no mass`);
    // the first entry whose running sum exceeds u: a scan, as rows of a small epsilon hold few entries
    const u = rng.uniform() * s;
    let run = 0;
    let q = from;
    for (; q < to - 1; q++) {
      run += vals[q];
      if (run > u) break;
    }
    out[i] = cols[q];
  }
  return out;
}

/** `count` pairs drawn independently from a whole sparse plan (its entries normalised to probabilities). */
export function sampleSparsePairs(plan: SparsePlan, count: number, rng: Rng): IndexPairs {
  checkInteger(count, 'count', 0);
  const { n, rowStart, cols, vals } = plan;
  const cum = new Float64Array(vals.length);
  let s = 0;
  for (let q = 0; q < vals.length; q++) {
    s += vals[q];
    cum[q] = s;
  }
  check(s > 0, 'plan has no mass');
  const rows = new Int32Array(count);
  const out = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const q = searchCumulative(cum, 0, vals.length, rng.uniform() * s);
    out[t] = cols[q];
    // the row holding entry q: the last row start at or below q
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rowStart[mid] <= q) lo = mid;
      else hi = mid - 1;
    }
    rows[t] = lo;
  }
  return { rows, cols: out };
}
