// Brownian motion, Ornstein–Uhlenbeck, and the forward SDE of a schedule, as particle paths.
import { check, checkFinite, checkInteger } from '../errors';
import type { Schedule } from '../schedules/schedule';
import { simulateLinearSde, uniformGrid, type SimulationOptions, type SimulationResult } from './linear-sde';

/** Where the forward SDE stops when the schedule's drift blows up at t = 1 (alpha_1 = 0, as on `linear`). */
export const SINGULAR_T_MAX = 1 - 1e-3;

function endTime(tEnd: number | undefined): number {
  const t = tEnd ?? 1;
  checkFinite(t, 'tEnd');
  check(t > 0, `tEnd must be positive, got ${t}`);
  return t;
}

/** Standard Brownian motion dX = dW on [0, tEnd] (tEnd defaults to 1); both methods are exact. */
export function simulateBrownian(opts: SimulationOptions & { readonly tEnd?: number }): SimulationResult {
  checkInteger(opts.steps, 'steps', 1);
  const sde = { drift: () => 0, diffusion2: () => 1, transition: (s: number, t: number) => ({ mean: 1, variance: t - s }) };
  return simulateLinearSde(sde, uniformGrid(0, endTime(opts.tEnd), opts.steps), opts);
}

/** Ornstein–Uhlenbeck dX = -theta X dt + s dW on [0, tEnd]. */
export function simulateOrnsteinUhlenbeck(opts: SimulationOptions & { readonly theta: number; readonly s: number; readonly tEnd?: number }): SimulationResult {
  const { theta, s } = opts;
  checkFinite(theta, 'theta');
  checkFinite(s, 's');
  check(theta >= 0 && s >= 0, `theta and s must be non-negative, got theta = ${theta}, s = ${s}`);
  checkInteger(opts.steps, 'steps', 1);
  const sde = {
    drift: () => -theta,
    diffusion2: () => s * s,
    transition(a: number, b: number) {
      const h = b - a;
      // theta -> 0 limit of s^2 (1 - e^{-2 theta h}) / (2 theta) is s^2 h; -expm1 keeps it accurate for small theta h.
      const variance = theta === 0 ? s * s * h : (s * s * -Math.expm1(-2 * theta * h)) / (2 * theta);
      return { mean: Math.exp(-theta * h), variance };
    },
  };
  return simulateLinearSde(sde, uniformGrid(0, endTime(opts.tEnd), opts.steps), opts);
}

/** Default last time for a schedule: 1, or SINGULAR_T_MAX where f or g^2 is infinite at t = 1. */
export function forwardTMax(schedule: Schedule): number {
  const finite = schedule.alpha(1) > 0 && Number.isFinite(schedule.f(1)) && Number.isFinite(schedule.g2(1));
  return finite ? 1 : SINGULAR_T_MAX;
}

/** The forward SDE dx = f_t x dt + g_t dW of a schedule from tStart (default 0) to tMax (default forwardTMax). */
export function simulateForwardSde(
  opts: SimulationOptions & { readonly schedule: Schedule; readonly tStart?: number; readonly tMax?: number },
): SimulationResult {
  const { schedule } = opts;
  const t0 = opts.tStart ?? 0;
  const t1 = opts.tMax ?? forwardTMax(schedule);
  checkFinite(t0, 'tStart');
  checkFinite(t1, 'tMax');
  check(t0 >= 0 && t1 <= 1 && t0 < t1, `need 0 <= tStart < tMax <= 1, got tStart = ${t0}, tMax = ${t1}`);
  checkInteger(opts.steps, 'steps', 1);
  const sde = {
    drift: (t: number) => schedule.f(t),
    diffusion2: (t: number) => schedule.g2(t),
    transition(s: number, t: number) {
      // x_t | x_s ~ N((alpha_t / alpha_s) x_s, sigma_t^2 - (alpha_t / alpha_s)^2 sigma_s^2).
      const m = schedule.alpha(t) / schedule.alpha(s);
      const variance = schedule.sigma(t) ** 2 - m * m * schedule.sigma(s) ** 2;
      return { mean: m, variance };
    },
  };
  return simulateLinearSde(sde, uniformGrid(t0, t1, opts.steps), opts);
}
