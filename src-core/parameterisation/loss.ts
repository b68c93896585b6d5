// Training targets: x_t and the regression target of each parameterisation, with one time per row (MATH.md §3).
import { like, type FloatArray } from '../batch';
import { StudioError, checkInteger } from '../errors';
import type { Parameterisation } from '../model';
import type { Schedule } from '../schedules/schedule';
import { parameterisationRule, pathCoefficients } from './rules';

/** Checks that x0, eps and t describe the same rows of rowSize numbers, and that every t is finite. */
function checkRows(x0: FloatArray, eps: FloatArray, t: ArrayLike<number>, rowSize: number): void {
  checkInteger(rowSize, 'rowSize', 1);
  if (x0.length !== eps.length) throw new StudioError('invalid-shape', `x0 has ${x0.length} numbers but eps has ${eps.length}`);
  if (x0.length !== t.length * rowSize) {
    throw new StudioError('invalid-shape', `x0 has ${x0.length} numbers, expected ${t.length} rows (one per t) of ${rowSize}`);
  }
  for (let r = 0; r < t.length; r++) {
    if (!Number.isFinite(t[r])) throw new StudioError('not-finite', `t[${r}] is ${t[r]}; expected a finite time`);
  }
}

/** Fills out row by row with a(t_r) x0 + b(t_r) eps. */
function rowwise<A extends FloatArray>(
  out: A,
  x0: FloatArray,
  eps: FloatArray,
  t: ArrayLike<number>,
  rowSize: number,
  coef: (t: number) => readonly [number, number],
): A {
  for (let r = 0; r < t.length; r++) {
    const [a, b] = coef(t[r]);
    const start = r * rowSize;
    for (let i = start; i < start + rowSize; i++) out[i] = a * x0[i] + b * eps[i];
  }
  return out;
}

/** x_t = alpha_t x0 + sigma_t eps per row (a buffer of x0's type). */
export function noisyInput(x0: FloatArray, eps: FloatArray, t: ArrayLike<number>, rowSize: number, schedule: Schedule): FloatArray {
  checkRows(x0, eps, t, rowSize);
  return rowwise(like(x0), x0, eps, t, rowSize, (s) => [schedule.alpha(s), schedule.sigma(s)]);
}

/**
 * The regression target of `param` per row: eps; x0; v = alpha eps - sigma x0; score = -eps/sigma;
 * velocity = alpha' x0 + sigma' eps (eps - x0 on linear).
 */
export function lossTarget(
  param: Parameterisation,
  x0: FloatArray,
  eps: FloatArray,
  t: ArrayLike<number>,
  rowSize: number,
  schedule: Schedule,
): Float32Array {
  const rule = parameterisationRule(param);
  checkRows(x0, eps, t, rowSize);
  return rowwise(new Float32Array(x0.length), x0, eps, t, rowSize, (s) => {
    const c = rule.fromX0Eps(pathCoefficients(schedule, s));
    if (!Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      throw new StudioError('not-finite', `the ${param} target is not finite at t = ${s} (sigma = ${schedule.sigma(s)})`);
    }
    return c;
  });
}
