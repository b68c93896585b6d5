// Each parameterisation as data: how it is built from (x0, eps) and how (x0, eps) are recovered from it and x_t.
import { StudioError } from '../errors';
import { PARAMETERISATIONS, type Parameterisation } from '../model';
import { Registry } from '../registry';
import type { Schedule } from '../schedules/schedule';

/** alpha, sigma and their time derivatives at one t. */
export interface PathCoefficients {
  readonly alpha: number;
  readonly sigma: number;
  readonly dAlpha: number;
  readonly dSigma: number;
}

/** A pair of coefficients [a, b] meaning a * first + b * second. */
export type Pair = readonly [number, number];

/** One parameterisation: linear in (x0, eps) forwards, and in (x_t, prediction) backwards (MATH.md §2). */
interface ParameterisationRule {
  readonly name: Parameterisation;
  /** Coefficients [on x0, on eps] of this quantity. */
  fromX0Eps(c: PathCoefficients): Pair;
  /** Coefficients [on x_t, on the prediction] of x0 and of eps. */
  toX0Eps(c: PathCoefficients): { readonly x0: Pair; readonly eps: Pair };
}

/** alpha, sigma, alpha', sigma' of a schedule at t. */
export function pathCoefficients(schedule: Schedule, t: number): PathCoefficients {
  return { alpha: schedule.alpha(t), sigma: schedule.sigma(t), dAlpha: schedule.dAlpha(t), dSigma: schedule.dSigma(t) };
}

const rules: ParameterisationRule[] = [
  {
    name: 'eps',
    fromX0Eps: () => [0, 1],
    // x0 = (x - sigma eps) / alpha
    toX0Eps: ({ alpha, sigma }) => ({ x0: [1 / alpha, -sigma / alpha], eps: [0, 1] }),
  },
  {
    name: 'x0',
    fromX0Eps: () => [1, 0],
    // eps = (x - alpha x0) / sigma
    toX0Eps: ({ alpha, sigma }) => ({ x0: [0, 1], eps: [1 / sigma, -alpha / sigma] }),
  },
  {
    name: 'score',
    // score = -eps / sigma (the score of the Gaussian path's conditional)
    fromX0Eps: ({ sigma }) => [0, -1 / sigma],
    toX0Eps: ({ alpha, sigma }) => ({ x0: [1 / alpha, (sigma * sigma) / alpha], eps: [0, -sigma] }),
  },
  {
    name: 'v',
    fromX0Eps: ({ alpha, sigma }) => [-sigma, alpha],
    // x = alpha x0 + sigma eps and v = alpha eps - sigma x0 form a rotation scaled by
    // alpha^2 + sigma^2 > 0; solving it: x0 = (alpha x - sigma v)/n, eps = (sigma x + alpha v)/n.
    // On VP paths n = 1, which gives MATH.md's x0 = alpha x - sigma v, eps = sigma x + alpha v.
    toX0Eps: ({ alpha, sigma }) => {
      const n = alpha * alpha + sigma * sigma;
      return { x0: [alpha / n, -sigma / n], eps: [sigma / n, alpha / n] };
    },
  },
  {
    name: 'velocity',
    // u = dx_t/dt = alpha' x0 + sigma' eps
    fromX0Eps: ({ dAlpha, dSigma }) => [dAlpha, dSigma],
    // With D = alpha sigma' - alpha' sigma (> 0 on every valid schedule, also where alpha = 0):
    // eps = (alpha u - alpha' x)/D, x0 = (sigma' x - sigma u)/D.
    toX0Eps: ({ alpha, sigma, dAlpha, dSigma }) => {
      const D = alpha * dSigma - dAlpha * sigma;
      return { x0: [dSigma / D, -sigma / D], eps: [-dAlpha / D, alpha / D] };
    },
  },
];

/** The parameterisations by name; registering a name twice throws. */
const parameterisationRegistry = new Registry<ParameterisationRule>('parameterisation');
for (const rule of rules) parameterisationRegistry.register(rule.name, rule);

/** Returns the rule of a parameterisation name, throwing unknown-name for anything else. */
export function parameterisationRule(name: string): ParameterisationRule {
  if (typeof name !== 'string') throw new StudioError('unknown-name', `a parameterisation name must be a string (one of ${PARAMETERISATIONS.join(', ')})`);
  return parameterisationRegistry.get(name);
}
