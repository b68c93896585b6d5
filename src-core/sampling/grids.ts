// Time grids t_0 = t_max > ... > t_n = t_min: uniform in t, uniform in log-SNR, Karras (MATH.md §5).
import { StudioError, check, checkInteger } from '../errors';
import { Registry } from '../registry';
import type { Schedule } from '../schedules/schedule';

/** Builds n + 1 decreasing times from tMax to tMin for a schedule. */
type GridFn = (schedule: Schedule, n: number, tMax: number, tMin: number) => Float64Array;

/** Named time grids; registering a name twice throws. */
export const grids = new Registry<GridFn>('time grid');

// Where an end of the path has an infinite noise level or log-SNR (alpha = 0 or sigma = 0),
// interior points are placed from a level this far inside, and the end itself is kept.
const END_OFFSET = 1e-4;

/** The time in [lo, hi] where a monotone g reaches target (bisection to float64 resolution). */
function invertMonotone(g: (t: number) => number, target: number, lo: number, hi: number): number {
  const increasing = g(hi) > g(lo);
  for (let k = 0; k < 200 && hi - lo > 1e-15; k++) {
    const mid = 0.5 * (lo + hi);
    const above = g(mid) > target;
    if (above === increasing) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/** A level function evaluated at the ends, moved inside by END_OFFSET where it is not finite. */
function finiteEnds(g: (t: number) => number, tMax: number, tMin: number): [number, number] {
  const top = Number.isFinite(g(tMax)) ? g(tMax) : g(tMax - END_OFFSET);
  const bottom = Number.isFinite(g(tMin)) ? g(tMin) : g(tMin + END_OFFSET);
  check(Number.isFinite(top) && Number.isFinite(bottom), 'the schedule has no finite noise level near the grid ends', 'invalid-schedule');
  return [top, bottom];
}

/** Times where g (monotone in t) takes the levels; the ends stay exactly tMax and tMin. */
function timesAtLevels(g: (t: number) => number, levels: Float64Array, tMax: number, tMin: number): Float64Array {
  const n = levels.length - 1;
  const times = new Float64Array(n + 1);
  times[0] = tMax;
  times[n] = tMin;
  for (let i = 1; i < n; i++) times[i] = invertMonotone(g, levels[i], tMin, tMax);
  return times;
}

grids.register('uniform', (_schedule, n, tMax, tMin) => {
  const times = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) times[i] = tMax + (i / n) * (tMin - tMax);
  times[n] = tMin;
  return times;
});

grids.register('log-snr', (schedule, n, tMax, tMin) => {
  const lambda = (t: number) => schedule.logSnr(t);
  const [top, bottom] = finiteEnds(lambda, tMax, tMin);
  const levels = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) levels[i] = top + (i / n) * (bottom - top);
  return timesAtLevels(lambda, levels, tMax, tMin);
});

grids.register('karras', (schedule, n, tMax, tMin) => {
  const rho = 7;
  const r = (t: number) => schedule.sigma(t) / schedule.alpha(t);
  const [rMax, rMin] = finiteEnds(r, tMax, tMin);
  const a = Math.pow(rMax, 1 / rho);
  const b = Math.pow(Math.max(rMin, 0), 1 / rho);
  const levels = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) levels[i] = Math.pow(a + (i / n) * (b - a), rho);
  return timesAtLevels(r, levels, tMax, tMin);
});

/** Builds a registered grid after checking n >= 1 and 0 <= tMin < tMax <= 1. */
export function makeGrid(name: string, schedule: Schedule, n: number, tMax = 1, tMin = schedule.tMin): Float64Array {
  checkInteger(n, 'steps', 1);
  check(Number.isFinite(tMax) && Number.isFinite(tMin) && 0 <= tMin && tMin < tMax && tMax <= 1,
    `grid ends must satisfy 0 <= tMin < tMax <= 1, got tMin ${tMin}, tMax ${tMax}`);
  return grids.get(name)(schedule, n, tMax, tMin);
}

/** Checks explicit times: at least two, finite, strictly decreasing, inside [0, 1]. */
export function checkTimes(times: Float64Array): Float64Array {
  if (!(times instanceof Float64Array) || times.length < 2) {
    throw new StudioError('invalid-argument', 'explicit grid must be a Float64Array of at least two times');
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    check(Number.isFinite(t) && t >= 0 && t <= 1, `grid time [${i}] = ${t} is outside [0, 1]`);
    check(i === 0 || t < times[i - 1], `grid times must decrease strictly; [${i}] = ${t} follows ${times[i - 1]}`);
  }
  return times;
}
