// Closed-form schedules written from MATH.md §1 for the tests, independent of the preset module.
import type { Schedule } from '../../src-core/schedules/schedule';

/** linear: alpha = 1 - t, sigma = t. */
export const localLinear: Schedule = {
  name: 'local-linear',
  tMin: 0,
  alpha: (t) => 1 - t,
  sigma: (t) => t,
  dAlpha: () => -1,
  dSigma: () => 1,
  logSnr: (t) => 2 * Math.log((1 - t) / t),
  f: (t) => -1 / (1 - t),
  g2: (t) => 2 * t + (2 * t * t) / (1 - t),
  toJSON: () => ({ name: 'linear' }),
};

const B0 = 0.1;
const B1 = 20;
const logAbar = (t: number): number => -(B0 * t + ((B1 - B0) * t * t) / 2);
const beta = (t: number): number => B0 + (B1 - B0) * t;

/** vp-linear: abar = exp(-(bmin t + (bmax - bmin) t^2 / 2)), alpha = sqrt(abar), sigma = sqrt(1 - abar). */
export const localVpLinear: Schedule = {
  name: 'local-vp-linear',
  tMin: 1e-3,
  alpha: (t) => Math.exp(logAbar(t) / 2),
  sigma: (t) => Math.sqrt(-Math.expm1(logAbar(t))),
  dAlpha: (t) => (-beta(t) / 2) * Math.exp(logAbar(t) / 2),
  dSigma: (t) => (beta(t) * Math.exp(logAbar(t))) / (2 * Math.sqrt(-Math.expm1(logAbar(t)))),
  logSnr: (t) => logAbar(t) - Math.log(-Math.expm1(logAbar(t))),
  f: (t) => -beta(t) / 2,
  g2: (t) => beta(t),
  toJSON: () => ({ name: 'vp-linear' }),
};
