// One integrator for scalar-coefficient linear SDEs dX = a(t) X dt + b(t) dW, per particle and dimension.
import { rowSize, rows, type Batch } from '../batch';
import { StudioError, check, checkFinite, checkInteger } from '../errors';
import { Rng } from '../rng';

/** A flag a caller flips (or a getter) to stop a long simulation; the simulator then throws 'cancelled'. */
interface CancelFlag {
  readonly aborted: boolean;
}

/** How to step: Euler–Maruyama, or the exact Gaussian transition where the process has one. */
export type SimulationMethod = 'euler-maruyama' | 'exact';

/** Options every simulator takes. */
export interface SimulationOptions {
  /** Number of particles. */
  readonly n: number;
  /** Number of time steps (the path holds steps + 1 states). */
  readonly steps: number;
  /** Dimension of each particle; defaults to the start point's, else 2. */
  readonly d?: number;
  /** One start point for every particle, or a batch [n, d] of start points; the origin if absent. */
  readonly start?: readonly number[] | Batch;
  /** Seed of a fresh Rng (default 0); ignored when rng is given. */
  readonly seed?: number;
  readonly rng?: Rng;
  readonly method?: SimulationMethod;
  readonly signal?: CancelFlag;
}

/** Simulated paths: times [steps + 1] and states [steps + 1, n, d] row-major. */
export interface SimulationResult {
  readonly times: Float64Array;
  readonly paths: Float32Array;
  readonly shape: readonly [number, number, number];
}

/** The coefficients of dX = a(t) X dt + b(t) dW and, optionally, its exact transition over [s, t]. */
export interface LinearSde {
  drift(t: number): number;
  diffusion2(t: number): number;
  transition?(s: number, t: number): { readonly mean: number; readonly variance: number };
}

/** Largest number of stored values (about 200 MB of float32) one simulation may produce. */
const MAX_PATH_VALUES = 50_000_000;

/** A uniform grid of steps + 1 times from t0 to t1. */
export function uniformGrid(t0: number, t1: number, steps: number): Float64Array {
  const times = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) times[k] = t0 + ((t1 - t0) * k) / steps;
  times[steps] = t1;
  return times;
}

function startPoints(opts: SimulationOptions, n: number): { d: number; x: Float64Array } {
  const { start } = opts;
  if (start === undefined) {
    const d = opts.d ?? 2;
    checkInteger(d, 'd', 1);
    return { d, x: new Float64Array(n * d) };
  }
  if ('shape' in start) {
    if (rows(start) !== n) throw new StudioError('invalid-shape', `start has ${rows(start)} rows but n is ${n}`);
    return { d: rowSize(start), x: Float64Array.from(start.data) };
  }
  const d = start.length;
  check(d >= 1, 'start needs at least one coordinate');
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = start[i % d];
  return { d, x };
}

/** Integrates a linear SDE on the given time grid for n particles; throws 'cancelled' when the flag is raised. */
export function simulateLinearSde(sde: LinearSde, times: Float64Array, opts: SimulationOptions): SimulationResult {
  const { n } = opts;
  checkInteger(n, 'n', 1);
  const steps = times.length - 1;
  checkInteger(steps, 'steps', 1);
  const { d, x } = startPoints(opts, n);
  const size = (steps + 1) * n * d;
  check(size <= MAX_PATH_VALUES, `a simulation of ${steps} steps x ${n} particles x ${d} dimensions is too large (${size} values, at most ${MAX_PATH_VALUES})`);
  const method = opts.method ?? 'euler-maruyama';
  check(method === 'euler-maruyama' || (method === 'exact' && sde.transition !== undefined), `method '${method}' is not available here`);
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const paths = new Float32Array(size);
  const stride = n * d;
  paths.set(x);
  for (let k = 0; k < steps; k++) {
    if (opts.signal?.aborted) throw new StudioError('cancelled', `simulation cancelled at step ${k} of ${steps}`);
    const s = times[k];
    const dt = times[k + 1] - s;
    let factor: number;
    let std: number;
    if (method === 'exact' && sde.transition) {
      const tr = sde.transition(s, times[k + 1]);
      factor = tr.mean;
      std = Math.sqrt(Math.max(0, tr.variance));
    } else {
      // Itô: coefficients at the left end of each step, which also keeps t = 1 itself out of reach.
      factor = 1 + sde.drift(s) * dt;
      std = Math.sqrt(sde.diffusion2(s) * dt);
      // A factor <= 0 flips the sign of the state each step: the grid is too coarse for the drift there.
      if (!(factor > 0)) {
        throw new StudioError('invalid-argument', `Euler–Maruyama is unstable at t = ${s} (drift ${sde.drift(s)}, step ${dt}): use more steps, an earlier end time, or method 'exact'`);
      }
    }
    checkFinite(factor, `drift factor at t = ${s}`);
    checkFinite(std, `diffusion at t = ${s}`);
    const base = (k + 1) * stride;
    for (let i = 0; i < stride; i++) {
      x[i] = factor * x[i] + std * rng.normal();
      paths[base + i] = x[i];
    }
  }
  return { times, paths, shape: [steps + 1, n, d] };
}
