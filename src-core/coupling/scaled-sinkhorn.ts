// Entropic plans at any epsilon for bounded work: epsilon scaling over a truncated (sparse) kernel with stabilised, over-relaxed sweeps.
import type { Batch } from '../batch';
import { StudioError, check, checkFinite, checkInteger } from '../errors';
import { checkPointPair, fillSquaredDistances } from './cost';
import type { AbortFlag } from './sinkhorn';

/** Settings of a scaled solve between two uniformly weighted point sets. */
interface ScaledSinkhornOptions {
  /** Entropic regularisation in squared-distance units; > 0. */
  epsilon: number;
  /** L1 marginal error (rows plus columns, truncated mass included) at which the solve stops. Default 1e-4. */
  tolerance?: number;
  /** Cap on sweeps over all stages. Default 2000. */
  maxSweeps?: number;
  /**
   * Return the plan's columns and entries as views of work arrays that the next solve overwrites (for a caller that draws
   * from the plan at once): a batch then allocates no n x m array. Default false (copies).
   */
  view?: boolean;
  signal?: AbortFlag;
}

/**
 * An entropic plan kept sparse: row i's entries are vals[rowStart[i] .. rowStart[i + 1]) at columns cols[...]; the
 * entries left out hold at most `dropped` of mass together.
 */
export interface SparsePlan {
  readonly n: number;
  readonly m: number;
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  /** An upper bound on the total mass of the entries left out. */
  readonly dropped: number;
  /** L1 error of the row marginals plus that of the columns, the dropped mass counted against both. */
  readonly marginalError: number;
  readonly converged: boolean;
  readonly sweeps: number;
  /** The epsilon of each stage, the last being the one asked for. */
  readonly stages: readonly number[];
  /**
   * The OT assignment (row i to column permutation[i]) where the permutation criterion held: the entropic plan at epsilon
   * is then within L1 distance `tolerance` of the permutation plan, which the entries give instead; null otherwise.
   */
  readonly permutation: Int32Array | null;
  /** The stage epsilon (>= epsilon) at which the permutation criterion held, or null. */
  readonly certifiedAt: number | null;
  /** Potentials f (n) and g (m) in cost units: P_ij = exp((f_i + g_j - C_ij) / epsilon) on the kept entries. */
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly epsilon: number;
}

/** Each stage divides epsilon by this; with the stage's own stopping rule a few sweeps bridge one stage to the next (2 and 4 took more work at batch 256). */
const STAGE_FACTOR = 3;
/**
 * The first stage starts at this share of the largest cost (or at the target when that is larger): from the hard
 * c-transform start a stage there converges in tens of sweeps, and stages above it cost more dense sweeps than they save.
 */
const START_SHARE = 0.003;
/** A stage before the last stops at this marginal error (or the target's, when looser). */
const STAGE_TOLERANCE = 0.01;
/** Kept entries hold at least this share of tolerance / (n m) of mass each, so all dropped together stay far below tolerance. */
const DROP_SHARE = 1e-3;
/** Scalings beyond e^±this are folded into the potentials and the kernel rebuilt (the kernel stays in float64 range). */
const ABSORB_LOG = 30;
/** A window whose error grew by more than this per sweep is taken for divergence, not the transient of a larger omega. */
const DIVERGING = 1.2;
/** Sweeps over which the error's rate of decrease is measured before the over-relaxation is revised. */
const RATE_WINDOW = 4;
/** The kernel is rebuilt (with the scalings folded in) once the bound on left-out mass passes this share of tolerance. */
const DROP_REBUILD = 0.1;
/** The largest over-relaxation used (2 diverges). */
const MAX_OMEGA = 1.9;

/** Work arrays of n x m entries, kept between solves: a batch's solve then allocates no large array but its result. */
let room: { cost: Float64Array; cols: Int32Array; vals: Float64Array } | null = null;

function scratch(size: number): { cost: Float64Array; cols: Int32Array; vals: Float64Array } {
  if (!room || room.cost.length < size) room = { cost: new Float64Array(size), cols: new Int32Array(size), vals: new Float64Array(size) };
  return room;
}

/** The squared distances of two point sets, row-major, with the largest one (in the shared work array). */
function costMatrix(x: Batch, y: Batch, n: number, m: number, d: number): { c: Float64Array; max: number } {
  const c = fillSquaredDistances(scratch(n * m).cost, x, y, n, m, d);
  let max = 0;
  for (let k = 0; k < n * m; k++) if (c[k] > max) max = c[k];
  return { c, max };
}

/** The stage epsilons: geometric from the start down to the target, which is always the last. */
function stageSchedule(eps: number, maxCost: number): number[] {
  const out: number[] = [];
  for (let e = maxCost * START_SHARE; e > eps * STAGE_FACTOR; e /= STAGE_FACTOR) out.push(e);
  // the step onto the target is no larger than the others
  if (out.length > 0 && out[out.length - 1] > eps * STAGE_FACTOR) out.push(eps * STAGE_FACTOR);
  out.push(eps);
  return out;
}

/** The kernel over the entries whose plan mass exp((f_i + g_j - C_ij) / eps) is above e^logFloor, each row's and column's largest always kept. */
class Kernel {
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
  count = 0;

  constructor(private readonly n: number, private readonly m: number) {
    this.rowStart = new Int32Array(n + 1);
    const room = scratch(n * m);
    this.cols = room.cols;
    this.vals = room.vals;
  }

  /** With `renormalise`, each f_i first moves so that its row's largest entry holds mass 1/n (a hard c-transform step after a change of epsilon). */
  build(c: Float64Array, f: Float64Array, g: Float64Array, eps: number, logFloor: number, colBest: Float64Array, renormalise = false): void {
    const { n, m } = this;
    if (renormalise) {
      for (let i = 0; i < n; i++) {
        let best = -Infinity;
        for (let j = 0; j < m; j++) best = Math.max(best, g[j] - c[i * m + j]);
        f[i] = -best - eps * Math.log(n);
      }
    }
    const inv = 1 / eps;
    // the largest exponent of each column, so that no column is left empty
    colBest.fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const fi = f[i];
      const base = i * m;
      for (let j = 0; j < m; j++) {
        const z = fi + g[j] - c[base + j];
        if (z > colBest[j]) colBest[j] = z;
      }
    }
    let k = 0;
    for (let i = 0; i < n; i++) {
      this.rowStart[i] = k;
      const fi = f[i];
      const base = i * m;
      let rowBest = -Infinity;
      for (let j = 0; j < m; j++) {
        const z = fi + g[j] - c[base + j];
        if (z > rowBest) rowBest = z;
      }
      const floor = Math.min(logFloor * eps, rowBest);
      for (let j = 0; j < m; j++) {
        const z = fi + g[j] - c[base + j];
        if (z >= floor || z >= colBest[j]) {
          this.cols[k] = j;
          this.vals[k] = Math.exp(z * inv);
          k++;
        }
      }
    }
    this.rowStart[n] = k;
    this.count = k;
  }
}

/**
 * The entropic plan between the rows of x and y (uniform weights, squared-Euclidean cost) by epsilon scaling: each stage
 * solves to its own tolerance from the last one's potentials, on a kernel that leaves out entries of negligible mass.
 */
export function scaledSinkhorn(x: Batch, y: Batch, options: ScaledSinkhornOptions): SparsePlan {
  const [n, m, d] = checkPointPair(x, y, 'source', 'target');
  const eps = options.epsilon;
  checkFinite(eps, 'epsilon');
  check(eps > 0, `epsilon must be > 0, got ${eps}`);
  const tol = options.tolerance ?? 1e-4;
  check(tol > 0 && tol < 1, `tolerance must be in (0, 1), got ${tol}`);
  const maxSweeps = options.maxSweeps ?? 2000;
  checkInteger(maxSweeps, 'maxSweeps', 1);
  const { c, max } = costMatrix(x, y, n, m, d);
  const stages = stageSchedule(eps, max);
  const a = 1 / n;
  const b = 1 / m;
  const logFloor = Math.log((DROP_SHARE * tol) / (n * m));
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const kernel = new Kernel(n, m);
  const colBest = new Float64Array(m);
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const acc = new Float64Array(m);
  let sweeps = 0;
  let rowErr = Infinity;
  let colErr = Infinity;
  let dropped = 0;
  let stagesRun = 0;
  for (let s = 0; s < stages.length && sweeps < maxSweeps; s++, stagesRun++) {
    const e = stages[s];
    const last = s === stages.length - 1;
    let target = last ? tol : Math.max(tol, STAGE_TOLERANCE);
    if (s > 0) absorb(f, g, u, v, stages[s - 1]);
    kernel.build(c, f, g, e, logFloor, colBest, true);
    u.fill(1);
    v.fill(1);
    let omega = 1;
    let stageSweeps = 0;
    let windowStart = Infinity;
    for (;;) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'Sinkhorn was cancelled');
      [rowErr, colErr] = sweep(kernel, u, v, acc, a, b, omega, n, m);
      sweeps++;
      stageSweeps++;
      const err = rowErr + colErr;
      dropped = droppedBound(kernel.count, n, m, logFloor, u, v);
      if (err + 2 * dropped < target) {
        // a stage whose plan already sits on one entry per row is solved to the full tolerance and tested as a permutation
        if (target > tol && offArgmaxMass(kernel, u, v, n) <= tol / 2) target = tol;
        else break;
      }
      if (sweeps >= maxSweeps) break;
      if (stageSweeps % RATE_WINDOW === 1) windowStart = err;
      else if (stageSweeps % RATE_WINDOW === 0) omega = nextOmega(omega, (err / windowStart) ** (1 / (RATE_WINDOW - 1)));
      if (dropped > tol * DROP_REBUILD || scalingsOutOfRange(u, v)) {
        absorb(f, g, u, v, e);
        kernel.build(c, f, g, e, logFloor, colBest);
      }
    }
    if (n === m && target === tol && rowErr + colErr + 2 * dropped < tol) {
      const permutation = permutationWithin(kernel, u, v, n, tol);
      if (permutation) {
        absorb(f, g, u, v, e);
        return { ...permutationPlan(permutation, n, m), sweeps, stages: stages.slice(0, s + 1), f, g, epsilon: eps, certifiedAt: e };
      }
    }
  }
  if (stagesRun < stages.length) {
    // the sweep cap ended the solve before the last stage: the plan is still made at the target epsilon, unconverged
    absorb(f, g, u, v, stages[stagesRun - 1]);
    kernel.build(c, f, g, eps, logFloor, colBest, true);
    u.fill(1);
    v.fill(1);
  }
  // columns exact (a plain column update), then the row masses and the plan entries
  columnUpdate(kernel, u, v, acc, b, n, m);
  rowErr = 0;
  // the plan entries overwrite the kernel's in its work array: a view of it, or a copy unless asked for the view
  const vals = kernel.vals;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let k = kernel.rowStart[i]; k < kernel.rowStart[i + 1]; k++) {
      vals[k] = u[i] * vals[k] * v[kernel.cols[k]];
      row += vals[k];
    }
    rowErr += Math.abs(row - a);
  }
  dropped = droppedBound(kernel.count, n, m, logFloor, u, v);
  const marginalError = rowErr + 2 * dropped;
  absorb(f, g, u, v, eps);
  if (!Number.isFinite(marginalError)) throw new StudioError('not-finite', 'Sinkhorn produced a non-finite plan');
  return {
    n, m, rowStart: kernel.rowStart,
    cols: options.view ? kernel.cols.subarray(0, kernel.count) : kernel.cols.slice(0, kernel.count),
    vals: options.view ? vals.subarray(0, kernel.count) : vals.slice(0, kernel.count),
    dropped, marginalError, converged: marginalError < tol, sweeps, stages: stages.slice(0, stagesRun), f, g, epsilon: eps, permutation: null, certifiedAt: null,
  };
}

/** Plan mass off each row's largest entry, for the plan u_i K_ij v_j. */
function offArgmaxMass(k: Kernel, u: Float64Array, v: Float64Array, n: number): number {
  let off = 0;
  for (let i = 0; i < n; i++) {
    let total = 0;
    let best = 0;
    for (let q = k.rowStart[i]; q < k.rowStart[i + 1]; q++) {
      const p = k.vals[q] * v[k.cols[q]];
      total += p;
      if (p > best) best = p;
    }
    off += u[i] * (total - best);
  }
  return off;
}

/**
 * The permutation criterion. H(J | I), the plan's entropy given its row, only falls as epsilon falls (the entropic
 * value is concave in epsilon, its slope minus the plan's entropy) and bounds the mass off each row's largest entry
 * (-log p >= 1 - p). So where a plan solved at this epsilon (to the tolerance) has H(J | I) <= tol / 2, every plan at a
 * smaller epsilon lies within L1 distance tol of the permutation plan; and where also H(J | I) < log(2) / n, each row's
 * largest entry holds over half its mass at every smaller epsilon, so that permutation is the same all the way down:
 * the OT assignment's.
 * Returns each row's column, or null where the criterion fails.
 */
function permutationWithin(k: Kernel, u: Float64Array, v: Float64Array, n: number, tol: number): Int32Array | null {
  const perm = new Int32Array(n);
  const taken = new Uint8Array(v.length);
  let entropy = 0;
  for (let i = 0; i < n; i++) {
    let total = 0;
    let best = 0;
    for (let q = k.rowStart[i]; q < k.rowStart[i + 1]; q++) {
      const p = k.vals[q] * v[k.cols[q]];
      total += p;
      if (p > best) {
        best = p;
        perm[i] = k.cols[q];
      }
    }
    let h = 0;
    for (let q = k.rowStart[i]; q < k.rowStart[i + 1]; q++) {
      const p = (k.vals[q] * v[k.cols[q]]) / total;
      if (p > 0) h -= p * Math.log(p);
    }
    entropy += h / n;
    if (taken[perm[i]]) return null;
    taken[perm[i]] = 1;
  }
  return entropy <= tol / 2 && entropy * n < Math.LN2 ? perm : null;
}

/** The plan 1/n on (i, perm[i]) in the sparse layout. */
function permutationPlan(perm: Int32Array, n: number, m: number): Pick<SparsePlan, 'n' | 'm' | 'rowStart' | 'cols' | 'vals' | 'dropped' | 'marginalError' | 'converged' | 'permutation'> {
  const rowStart = Int32Array.from({ length: n + 1 }, (_, i) => i);
  return { n, m, rowStart, cols: perm.slice(), vals: new Float64Array(n).fill(1 / n), dropped: 0, marginalError: 0, converged: true, permutation: perm };
}

/**
 * The over-relaxation after a window whose error fell by `rate` per sweep under `omega`. Successive over-relaxation of a
 * two-block linear iteration with plain rate lambda has rates r solving (r + omega - 1)^2 = r omega^2 lambda, so the
 * window gives lambda, and omega = 2 / (1 + sqrt(1 - lambda)) is the best for it; a window that did not fall halves omega - 1.
 */
function nextOmega(omega: number, rate: number): number {
  if (!(rate < DIVERGING)) return 1 + (omega - 1) / 2;
  if (!(rate < 1)) return omega;
  const lambda = Math.min(1, (rate + omega - 1) ** 2 / (omega * omega * rate));
  return Math.max(omega, Math.min(MAX_OMEGA, 2 / (1 + Math.sqrt(1 - lambda))));
}

/** One over-relaxed sweep in the scaling domain: rows from columns, then columns from rows; returns the errors each met. */
function sweep(k: Kernel, u: Float64Array, v: Float64Array, acc: Float64Array, a: number, b: number, omega: number, n: number, m: number): [number, number] {
  const { rowStart, cols, vals } = k;
  const full = k.count === n * m;
  acc.fill(0);
  let rowErr = 0;
  for (let i = 0; i < n; i++) {
    const start = rowStart[i];
    const end = rowStart[i + 1];
    let s = 0;
    // a full kernel reads its columns in order, without the index array
    if (full) for (let j = 0; j < m; j++) s += vals[start + j] * v[j];
    else for (let q = start; q < end; q++) s += vals[q] * v[cols[q]];
    const ui = u[i];
    rowErr += Math.abs(ui * s - a);
    const plain = a / s;
    const next = omega === 1 ? plain : ui * Math.pow(plain / ui, omega);
    u[i] = next;
    if (full) for (let j = 0; j < m; j++) acc[j] += vals[start + j] * next;
    else for (let q = start; q < end; q++) acc[cols[q]] += vals[q] * next;
  }
  let colErr = 0;
  for (let j = 0; j < m; j++) {
    const vj = v[j];
    colErr += Math.abs(vj * acc[j] - b);
    const plain = b / acc[j];
    v[j] = omega === 1 ? plain : vj * Math.pow(plain / vj, omega);
  }
  return [rowErr, colErr];
}

/** v_j = b / (K^T u)_j: the plan's columns exact. */
function columnUpdate(k: Kernel, u: Float64Array, v: Float64Array, acc: Float64Array, b: number, n: number, m: number): void {
  acc.fill(0);
  for (let i = 0; i < n; i++) {
    const ui = u[i];
    for (let q = k.rowStart[i]; q < k.rowStart[i + 1]; q++) acc[k.cols[q]] += k.vals[q] * ui;
  }
  for (let j = 0; j < m; j++) v[j] = b / acc[j];
}

/** Mass the left-out entries can hold under the current scalings: each was below e^logFloor when the kernel was built. */
function droppedBound(kept: number, n: number, m: number, logFloor: number, u: Float64Array, v: Float64Array): number {
  if (kept === n * m) return 0;
  let mu = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) mu = Math.max(mu, u[i]);
  for (let j = 0; j < m; j++) mv = Math.max(mv, v[j]);
  return (n * m - kept) * Math.exp(logFloor) * mu * mv;
}

function scalingsOutOfRange(u: Float64Array, v: Float64Array): boolean {
  const hi = Math.exp(ABSORB_LOG);
  const lo = 1 / hi;
  for (let i = 0; i < u.length; i++) if (!(u[i] < hi && u[i] > lo)) return true;
  for (let j = 0; j < v.length; j++) if (!(v[j] < hi && v[j] > lo)) return true;
  return false;
}

/** Folds the scalings into the potentials (f += eps log u, g += eps log v) and resets them to 1. */
function absorb(f: Float64Array, g: Float64Array, u: Float64Array, v: Float64Array, eps: number): void {
  for (let i = 0; i < f.length; i++) f[i] += eps * Math.log(u[i]);
  for (let j = 0; j < g.length; j++) g[j] += eps * Math.log(v[j]);
  u.fill(1);
  v.fill(1);
}
