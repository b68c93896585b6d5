// Loss weightings w(t): a small named set, each a factor on the squared error of one row.
import { StudioError } from '../errors';
import type { Parameterisation } from '../model';
import type { Schedule } from '../schedules/schedule';
import { parameterisationRule } from './rules';

/**
 * - 'none': w = 1.
 * - 'sigma2': w = sigma_t^2 (turns the score loss into the eps loss).
 * - 'snr': w = SNR_t = alpha^2/sigma^2 = exp(logSnr).
 * - 'min-snr-5': Min-SNR-gamma with gamma = 5 (Hang et al. 2023): the factor that makes the loss
 *   equal min(SNR, 5) times the x0 squared error, whatever is predicted. For a prediction whose
 *   error is k(t) times the x0 error (squared; k = 1 for x0, SNR for eps, alpha^2/sigma^4 for score,
 *   (alpha^2 + sigma^2)^2/sigma^2 for v, D^2/sigma^2 for velocity) the factor is min(SNR, 5)/k.
 */
export const LOSS_WEIGHTINGS = ['none', 'sigma2', 'snr', 'min-snr-5'] as const;

/** One of LOSS_WEIGHTINGS. */
type LossWeighting = (typeof LOSS_WEIGHTINGS)[number];

const MIN_SNR_GAMMA = 5;

/** min(SNR, gamma)/k(t) written so alpha = 0 or sigma = 0 give the limit instead of 0/0. */
function minSnrWeight(param: Parameterisation, schedule: Schedule, t: number, gamma: number): number {
  const a2 = schedule.alpha(t) ** 2;
  const s2 = schedule.sigma(t) ** 2;
  switch (param) {
    case 'x0':
      return Math.min(a2 / s2, gamma);
    case 'eps':
      return Math.min(1, (gamma * s2) / a2);
    case 'score':
      return s2 * Math.min(1, (gamma * s2) / a2);
    case 'v':
      return Math.min(a2, gamma * s2) / (a2 + s2) ** 2;
    case 'velocity': {
      const D = schedule.alpha(t) * schedule.dSigma(t) - schedule.dAlpha(t) * schedule.sigma(t);
      return Math.min(a2, gamma * s2) / (D * D);
    }
  }
}

/** The weight w(t) of one row under a named weighting, for a model predicting `param`. */
export function lossWeight(weighting: LossWeighting, param: Parameterisation, t: number, schedule: Schedule): number {
  parameterisationRule(param);
  if (!Number.isFinite(t)) throw new StudioError('not-finite', `t is ${t}; expected a finite time`);
  switch (weighting) {
    case 'none':
      return 1;
    case 'sigma2':
      return schedule.sigma(t) ** 2;
    case 'snr':
      return Math.exp(schedule.logSnr(t));
    case 'min-snr-5':
      return minSnrWeight(param, schedule, t, MIN_SNR_GAMMA);
    default:
      throw new StudioError('unknown-name', `unknown loss weighting '${String(weighting)}'; known: ${LOSS_WEIGHTINGS.join(', ')}`);
  }
}

/** lossWeight for every row time in t. */
export function lossWeights(weighting: LossWeighting, param: Parameterisation, t: ArrayLike<number>, schedule: Schedule): Float32Array {
  const out = new Float32Array(t.length);
  for (let r = 0; r < t.length; r++) out[r] = lossWeight(weighting, param, t[r], schedule);
  return out;
}
