// Entropic optimal transport by Sinkhorn iterations on log potentials (no kernel is ever exponentiated whole).
import type { Batch } from '../batch';
import { StudioError, check, checkAllFinite, checkFinite, checkInteger } from '../errors';
import { checkPointPair, squaredDistancesUnchecked } from './cost';

/** A flag a caller flips to stop a long computation; checked once per iteration. */
export interface AbortFlag {
  readonly aborted: boolean;
}

/** Settings of a Sinkhorn solve. */
interface SinkhornOptions {
  /** Entropic regularisation, in the units of the cost (squared distance); > 0. */
  epsilon: number;
  /** Source weights (n, >= 0, rescaled to sum 1); uniform if absent. */
  sourceWeights?: ArrayLike<number>;
  /** Target weights (m, >= 0, rescaled to sum 1); uniform if absent. */
  targetWeights?: ArrayLike<number>;
  /** Stop once the L1 error of the row marginals is below this (columns are exact after each sweep). Default 1e-6. */
  tolerance?: number;
  /** Cap on sweeps, annealing stages included. Default 5000. */
  maxIterations?: number;
  /** Start at the cost's scale and halve epsilon down to the target (warm-started); default true. */
  anneal?: boolean;
  /** Polled once per sweep; when set the solve throws a 'cancelled' StudioError. */
  signal?: AbortFlag;
}

/** An entropic plan P_ij = exp((f_i + g_j - C_ij) / epsilon) with its diagnostics. */
interface SinkhornResult {
  /** The n x m plan, row-major; its entries sum to 1. */
  readonly plan: Float64Array;
  readonly n: number;
  readonly m: number;
  /** Potentials f (n) and g (m), in cost units. */
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly epsilon: number;
  /** L1 error of row marginals plus L1 error of column marginals at the end. */
  readonly marginalError: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Transport cost sum_ij P_ij C_ij (without the entropy term). */
  readonly cost: number;
}

/** Sinkhorn between the rows of x and y with squared-Euclidean cost. */
export function sinkhorn(x: Batch, y: Batch, options: SinkhornOptions): SinkhornResult {
  const sweeps = sinkhornSweeps(x, y, options);
  for (;;) {
    const r = sweeps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same solve, awaiting `turn` after every sweep: a long solve then lets its process read messages (a cancel among
 * them) and report progress; `turn` may throw to stop it.
 */
export async function sinkhornAsync(x: Batch, y: Batch, options: SinkhornOptions & { readonly turn: (iterations: number) => Promise<void> }): Promise<SinkhornResult> {
  const sweeps = sinkhornSweeps(x, y, options);
  for (;;) {
    const r = sweeps.next();
    if (r.done) return r.value;
    await options.turn(r.value);
  }
}

/** The solve as sweeps: yields the sweeps done so far after each one, returns the plan. */
function sinkhornSweeps(x: Batch, y: Batch, options: SinkhornOptions): Generator<number, SinkhornResult> {
  const [n, m, d] = checkPointPair(x, y, 'source', 'target');
  return sweepsFromCost(squaredDistancesUnchecked(x, y, n, m, d), n, m, options);
}

/** Sinkhorn for a row-major n x m cost matrix, a sweep at a time. */
function* sweepsFromCost(cost: Float64Array, n: number, m: number, options: SinkhornOptions): Generator<number, SinkhornResult> {
  checkInteger(n, 'n', 1);
  checkInteger(m, 'm', 1);
  check(cost.length === n * m, `cost has ${cost.length} entries, expected ${n} x ${m}`, 'invalid-shape');
  checkAllFinite(cost, 'cost');
  const eps = options.epsilon;
  checkFinite(eps, 'epsilon');
  check(eps > 0, `epsilon must be > 0, got ${eps}`);
  const tol = options.tolerance ?? 1e-6;
  check(tol > 0, `tolerance must be > 0, got ${tol}`);
  const maxIter = options.maxIterations ?? 5000;
  checkInteger(maxIter, 'maxIterations', 1);
  const logA = logWeights(options.sourceWeights, n, 'sourceWeights');
  const logB = logWeights(options.targetWeights, m, 'targetWeights');

  const costT = new Float64Array(n * m); // column access without striding
  let maxCost = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const cij = cost[i * m + j];
      costT[j * n + i] = cij;
      if (Math.abs(cij) > maxCost) maxCost = Math.abs(cij);
    }
  }
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const a = logA.map(Math.exp);

  const stages: number[] = [];
  if (options.anneal ?? true) for (let e = maxCost; e > 2 * eps; e /= 2) stages.push(e);
  let iterations = 0;
  for (const e of stages) {
    for (let k = 0; k < 5 && iterations < maxIter; k++, iterations++) {
      poll(options.signal);
      softUpdate(cost, g, logA, f, n, m, e, null);
      softUpdate(costT, f, logB, g, m, n, e, null);
      yield iterations + 1;
    }
  }
  let rowError = Infinity;
  for (;;) {
    poll(options.signal);
    softUpdate(costT, f, logB, g, m, n, eps, null);
    iterations++;
    // Columns are exact now; the f-sweep reads the row masses of this plan for free.
    rowError = softUpdate(cost, g, logA, f, n, m, eps, a, tol);
    if (rowError < tol || iterations >= maxIter) break;
    yield iterations;
  }
  return finish(cost, f, g, logA, logB, n, m, eps, iterations, rowError < tol);
}

function poll(signal: AbortFlag | undefined): void {
  if (signal?.aborted) throw new StudioError('cancelled', 'Sinkhorn was cancelled');
}

function logWeights(w: ArrayLike<number> | undefined, n: number, what: string): Float64Array {
  const out = new Float64Array(n);
  if (w === undefined) return out.fill(-Math.log(n));
  check(w.length === n, `${what} has length ${w.length}, expected ${n}`, 'invalid-shape');
  checkAllFinite(w, what);
  let total = 0;
  for (let i = 0; i < n; i++) {
    check(w[i] >= 0, `${what}[${i}] is negative (${w[i]})`);
    total += w[i];
  }
  check(total > 0, `${what} must have a positive sum`);
  for (let i = 0; i < n; i++) out[i] = Math.log(w[i] / total);
  return out;
}

/**
 * One half-sweep in the log domain: out_i = eps log w_i - eps LSE_j((other_j - C_ij) / eps).
 * With `target` given it first returns the L1 gap between the current row masses and target
 * (and skips the update when that gap is already below `stopBelow`).
 */
function softUpdate(
  c: Float64Array, other: Float64Array, logW: Float64Array, out: Float64Array,
  rowsN: number, colsN: number, eps: number, target: Float64Array | null, stopBelow = 0,
): number {
  const inv = 1 / eps;
  const lse = target ? new Float64Array(rowsN) : null;
  let error = 0;
  const next = new Float64Array(rowsN);
  for (let i = 0; i < rowsN; i++) {
    const base = i * colsN;
    let mx = -Infinity;
    for (let j = 0; j < colsN; j++) {
      const z = other[j] - c[base + j];
      if (z > mx) mx = z;
    }
    let s = 0;
    if (mx > -Infinity) for (let j = 0; j < colsN; j++) s += Math.exp((other[j] - c[base + j] - mx) * inv);
    const logSum = mx + eps * Math.log(s); // eps * LSE, in cost units
    if (target && lse) {
      lse[i] = logSum;
      error += Math.abs(Math.exp((out[i] + logSum) * inv) - target[i]);
    }
    next[i] = logW[i] === -Infinity ? -Infinity : eps * logW[i] - logSum;
  }
  if (target && error < stopBelow) return error;
  out.set(next);
  return error;
}

function finish(
  cost: Float64Array, f: Float64Array, g: Float64Array, logA: Float64Array, logB: Float64Array,
  n: number, m: number, eps: number, iterations: number, converged: boolean,
): SinkhornResult {
  const plan = new Float64Array(n * m);
  const colSum = new Float64Array(m);
  let rowErr = 0;
  let total = 0;
  let transport = 0;
  for (let i = 0; i < n; i++) {
    let rs = 0;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      const p = Math.exp((f[i] + g[j] - cost[k]) / eps);
      plan[k] = p;
      rs += p;
      colSum[j] += p;
      transport += p * cost[k];
    }
    rowErr += Math.abs(rs - Math.exp(logA[i]));
    total += rs;
  }
  let colErr = 0;
  for (let j = 0; j < m; j++) colErr += Math.abs(colSum[j] - Math.exp(logB[j]));
  if (!Number.isFinite(total)) throw new StudioError('not-finite', 'Sinkhorn produced a non-finite plan');
  return { plan, n, m, f, g, epsilon: eps, marginalError: rowErr + colErr, iterations, converged, cost: transport };
}
