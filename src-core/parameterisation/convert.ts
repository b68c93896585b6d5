// Conversions between the five parameterisations at one time t, given x = x_t and the schedule (MATH.md §2).
import { like, type FloatArray } from '../batch';
import { StudioError, checkFinite } from '../errors';
import type { Parameterisation } from '../model';
import type { Schedule } from '../schedules/schedule';
import { parameterisationRule, pathCoefficients, type Pair, type PathCoefficients } from './rules';

/** Coefficients [on x_t, on the prediction] of quantity `to` given a prediction of `from`. */
export function conversionCoefficients(from: Parameterisation, to: Parameterisation, c: PathCoefficients): Pair {
  const source = parameterisationRule(from);
  const target = parameterisationRule(to);
  if (from === to) return [0, 1];
  const { x0, eps } = source.toX0Eps(c);
  const [onX0, onEps] = target.fromX0Eps(c);
  // Skip a zero coefficient so an unrecoverable x0 (alpha = 0) is not needed by, say, eps -> score.
  let onX = 0;
  let onPred = 0;
  if (onX0 !== 0) {
    onX += onX0 * x0[0];
    onPred += onX0 * x0[1];
  }
  if (onEps !== 0) {
    onX += onEps * eps[0];
    onPred += onEps * eps[1];
  }
  if (!Number.isFinite(onX) || !Number.isFinite(onPred)) {
    throw new StudioError(
      'not-finite',
      `cannot convert ${from} to ${to} here: alpha = ${c.alpha}, sigma = ${c.sigma} make the conversion singular` +
        (c.alpha === 0 ? ' (x0 cannot be recovered from this prediction where alpha = 0; predict velocity or v instead)' : ''),
    );
  }
  return [onX, onPred];
}

/** out[i] = a x[i] + b pred[i], in a buffer of x's type. */
function combine(x: FloatArray, pred: FloatArray, [a, b]: Pair): FloatArray {
  const out = like(x);
  for (let i = 0; i < x.length; i++) out[i] = a * x[i] + b * pred[i];
  return out;
}

function checkInputs(pred: FloatArray, x: FloatArray, t: number): void {
  checkFinite(t, 't');
  if (pred.length !== x.length) {
    throw new StudioError('invalid-shape', `the prediction has ${pred.length} numbers but x_t has ${x.length}`);
  }
}

/** Converts a prediction of `from` at time t to `to`; returns a new buffer of x's type. */
export function convertPrediction(
  pred: FloatArray,
  from: Parameterisation,
  to: Parameterisation,
  x: FloatArray,
  t: number,
  schedule: Schedule,
): FloatArray {
  checkInputs(pred, x, t);
  return combine(x, pred, conversionCoefficients(from, to, pathCoefficients(schedule, t)));
}

/** Recovers x0 and eps from a prediction of `from` at time t (buffers of x's type). */
export function toX0Eps(
  pred: FloatArray,
  from: Parameterisation,
  x: FloatArray,
  t: number,
  schedule: Schedule,
): { x0: FloatArray; eps: FloatArray } {
  checkInputs(pred, x, t);
  const c = pathCoefficients(schedule, t);
  return { x0: combine(x, pred, conversionCoefficients(from, 'x0', c)), eps: combine(x, pred, conversionCoefficients(from, 'eps', c)) };
}
