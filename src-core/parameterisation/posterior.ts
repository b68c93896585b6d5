// The Gaussian posterior q(x_s | x_t, x0) for s < t on any schedule (VDM form, MATH.md §5 'DDPM ancestral').
import { StudioError, checkFinite } from '../errors';
import type { Schedule } from '../schedules/schedule';

/** mean = xtCoef x_t + x0Coef x0, variance = variance (the same for every coordinate). */
interface PosteriorCoefficients {
  readonly xtCoef: number;
  readonly x0Coef: number;
  readonly variance: number;
}

/**
 * Coefficients of q(x_s | x_t, x0), s < t: with a = alpha_t/alpha_s and q = sigma_t^2 - a^2 sigma_s^2,
 * mean = (a sigma_s^2/sigma_t^2) x_t + (alpha_s q/sigma_t^2) x0 and variance q sigma_s^2/sigma_t^2.
 * Written through the log-SNR (q/sigma_t^2 = -expm1(lambda_t - lambda_s)) so that nearby s and t
 * do not cancel, and sigma_s = 0 or alpha_t = 0 give their limits.
 */
export function posteriorCoefficients(schedule: Schedule, t: number, s: number): PosteriorCoefficients {
  checkFinite(t, 't');
  checkFinite(s, 's');
  if (!(s < t)) throw new StudioError('invalid-argument', `the posterior needs s < t, got s = ${s}, t = ${t}`);
  const alphaS = schedule.alpha(s);
  const sigmaS = schedule.sigma(s);
  const alphaT = schedule.alpha(t);
  const sigmaT = schedule.sigma(t);
  const oneMinusR = -Math.expm1(schedule.logSnr(t) - schedule.logSnr(s)); // q / sigma_t^2
  const ratio = sigmaS === 0 ? 0 : (alphaT / alphaS) * (sigmaS / sigmaT) ** 2;
  return { xtCoef: ratio, x0Coef: alphaS * oneMinusR, variance: sigmaS * sigmaS * oneMinusR };
}
