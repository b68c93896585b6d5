// Path straightness and kinetic energy of a recorded trajectory, by the trapezoid rule in t.
import type { Batch } from '../batch';
import { rowSize } from '../batch';
import { StudioError, check, checkAllFinite } from '../errors';

/** Velocities u = dx/dt recorded at K times (ascending or descending), shape [K, n, ...]. */
interface PathVelocities {
  readonly times: ArrayLike<number>;
  readonly velocities: Batch;
}

/** A recorded path: states x_t and velocities dx/dt (not the step direction) at each time, both [K, n, ...]. */
interface RecordedPath extends PathVelocities {
  readonly states: Batch;
}

/** Checks times and a [K, n, ...] batch; returns [K, n, d]. */
function checkRecord(times: ArrayLike<number>, b: Batch, what: string): [number, number, number] {
  const K = times.length;
  check(K >= 2, `a path needs at least 2 recorded times, got ${K}`, 'invalid-shape');
  checkAllFinite(times, 'times');
  const dir = Math.sign(times[K - 1] - times[0]);
  for (let k = 1; k < K; k++) {
    if (dir === 0 || Math.sign(times[k] - times[k - 1]) !== dir) {
      throw new StudioError('invalid-argument', `times must be strictly monotone; times[${k - 1}] = ${times[k - 1]}, times[${k}] = ${times[k]}`);
    }
  }
  check(b && b.shape.length >= 3, `${what} must have shape [K, n, ...]`, 'invalid-shape');
  check(b.shape[0] === K, `${what} has ${b.shape[0]} time slices but there are ${K} times`, 'invalid-shape');
  const n = b.shape[1];
  const d = rowSize(b) / n;
  check(n >= 1 && d >= 1, `${what} holds no particles`, 'invalid-shape');
  check(b.data.length === K * n * d, `${what} has shape [${b.shape.join(', ')}] but ${b.data.length} numbers`, 'invalid-shape');
  checkAllFinite(b.data, what);
  return [K, n, d];
}

/** Trapezoid rule of per-time values f over |dt|. */
function trapezoid(times: ArrayLike<number>, f: Float64Array): number {
  let s = 0;
  for (let k = 1; k < f.length; k++) s += 0.5 * Math.abs(times[k] - times[k - 1]) * (f[k] + f[k - 1]);
  return s;
}

/** Kinetic energy E_i integral ||u_i(t)||^2 dt over the recorded time span. */
export function kineticEnergy(path: PathVelocities): number {
  const [K, n, d] = checkRecord(path.times, path.velocities, 'velocities');
  const u = path.velocities.data;
  const f = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let q = k * n * d; q < (k + 1) * n * d; q++) s += u[q] * u[q];
    f[k] = s / n;
  }
  return trapezoid(path.times, f);
}

/**
 * Straightness E_i integral ||u_i(t) - (x1_i - x0_i)||^2 dt, with x0 the state at the end nearer
 * t = 0 (data) and x1 at the end nearer t = 1 (noise). Over a span [t_lo, t_hi] other than [0, 1]
 * the straight-line velocity is (x1 - x0) / (t_hi - t_lo). Zero exactly for straight constant-speed paths.
 */
export function pathStraightness(path: RecordedPath): number {
  const [K, n, d] = checkRecord(path.times, path.velocities, 'velocities');
  const [, ns, ds] = checkRecord(path.times, path.states, 'states');
  check(ns === n && ds === d, `states [${path.states.shape.join(', ')}] and velocities [${path.velocities.shape.join(', ')}] differ in shape`, 'invalid-shape');
  const t = path.times;
  const x = path.states.data;
  const u = path.velocities.data;
  const slice = n * d;
  // (x_last - x_first) / (t_last - t_first) is (x1 - x0) / (t_hi - t_lo) whichever way the times run.
  const span = t[K - 1] - t[0];
  const rate = new Float64Array(slice);
  for (let q = 0; q < slice; q++) rate[q] = (x[(K - 1) * slice + q] - x[q]) / span;
  const f = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let q = 0; q < slice; q++) {
      const diff = u[k * slice + q] - rate[q];
      s += diff * diff;
    }
    f[k] = s / n;
  }
  return trapezoid(t, f);
}
