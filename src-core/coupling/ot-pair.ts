// Re-pairing a source batch with a target batch by optimal transport (OT-CFM and Schrödinger-bridge couplings).
import type { Batch, FloatArray } from '../batch';
import { rowSize } from '../batch';
import { StudioError, check, checkFinite } from '../errors';
import type { Rng } from '../rng';
import { assignSquaredEuclidean } from './assignment';
import { checkPointPair } from './cost';
import { sampleSparsePairs, sampleSparseRows } from './plan-sampling';
import { scaledSinkhorn } from './scaled-sinkhorn';
import type { AbortFlag } from './sinkhorn';

/** How otPair couples the batches. */
interface OtPairOptions {
  /** 'exact': the permutation minimising total squared distance; 'sinkhorn': draws from the entropic plan. */
  method: 'exact' | 'sinkhorn';
  /** Sinkhorn regularisation in squared-distance units (the Schrödinger bridge with noise s uses 2 s^2). */
  epsilon?: number;
  /** Generator for the Sinkhorn draws (required for 'sinkhorn'). */
  rng?: Rng;
  /** 'rows': keep the source order, draw each row's partner from its conditional (default); 'plan': draw n pairs from the whole plan. */
  draw?: 'rows' | 'plan';
  /**
   * Sinkhorn stopping tolerance (L1 marginal error); pair draws need little precision, default 1e-4. Where the entropic
   * plan lies within this L1 distance of a permutation (scaled-sinkhorn's criterion), that permutation, the OT
   * assignment, is drawn from.
   */
  tolerance?: number;
  /** Sinkhorn sweep cap; default 2000. */
  maxIterations?: number;
  signal?: AbortFlag;
}

/** How an entropic coupling's plan was made: 'ot' where the permutation criterion held and the OT assignment was drawn from. */
interface EntropicSolve {
  readonly plan: 'entropic' | 'ot';
  readonly sweeps: number;
  readonly marginalError: number;
  readonly converged: boolean;
}

/** Paired batches: source row k goes with target row k; rows/cols index the inputs. */
interface OtPairing {
  readonly source: Batch;
  readonly target: Batch;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  /** For method 'sinkhorn': how its plan was made. */
  readonly solve?: EntropicSolve;
}

/** Rows idx[0], idx[1], ... of b as a new batch of the same float type. */
function gatherRows(b: Batch, idx: Int32Array): Batch {
  const d = rowSize(b);
  const src = b.data;
  const data: FloatArray = src instanceof Float64Array ? new Float64Array(idx.length * d) : new Float32Array(idx.length * d);
  for (let k = 0; k < idx.length; k++) data.set(src.subarray(idx[k] * d, idx[k] * d + d), k * d);
  return { data, shape: [idx.length, ...b.shape.slice(1)] };
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Couples the rows of source and target by minibatch OT; returns the re-paired batches and the indices used. */
export function otPair(source: Batch, target: Batch, options: OtPairOptions): OtPairing {
  const [n] = checkPointPair(source, target, 'source', 'target');
  if (options.method === 'exact') {
    const { perm } = assignSquaredEuclidean(source, target);
    return { source, target: gatherRows(target, perm), rows: identity(n), cols: perm };
  }
  if (options.method !== 'sinkhorn') {
    throw new StudioError('unknown-method', `unknown coupling method '${String(options.method)}'; known: exact, sinkhorn`);
  }
  const eps = options.epsilon;
  check(eps !== undefined, "method 'sinkhorn' needs epsilon");
  checkFinite(eps, 'epsilon');
  const rng = options.rng;
  check(rng !== undefined, "method 'sinkhorn' needs an rng for the draws");
  const plan = scaledSinkhorn(source, target, {
    epsilon: eps,
    tolerance: options.tolerance ?? 1e-4,
    maxSweeps: options.maxIterations ?? 2000,
    // drawn from before the next solve
    view: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const solve: EntropicSolve = {
    plan: plan.permutation ? 'ot' : 'entropic',
    sweeps: plan.sweeps,
    marginalError: plan.marginalError,
    converged: plan.converged,
  };
  if ((options.draw ?? 'rows') === 'rows') {
    // a certified permutation plan has one entry per row: the draw is that entry
    const cols = plan.permutation ? plan.permutation.slice() : sampleSparseRows(plan, rng);
    return { source, target: gatherRows(target, cols), rows: identity(n), cols, solve };
  }
  const { rows, cols } = sampleSparsePairs(plan, n, rng);
  return { source: gatherRows(source, rows), target: gatherRows(target, cols), rows, cols, solve };
}
