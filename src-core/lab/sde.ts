// The SDEs the Lab evolves: Ornstein–Uhlenbeck (Brownian motion at theta = 0) and a schedule's forward SDE, each linear with scalar coefficients and an exact transition.
import { z } from 'zod';
import { createSchedule, scheduleSpecSchema } from '../schedules';
import { forwardTMax, type LinearSde } from '../simulate';

/** Which SDE dx = a(t) x dt + g(t) dW: OU dX = -theta X dt + sigma dW, or the forward SDE of a schedule (MATH.md §1). */
export const labSdeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ou'), theta: z.number().min(0).max(50), sigma: z.number().gt(0).max(20) }),
  z.strictObject({ kind: z.literal('schedule'), schedule: scheduleSpecSchema }),
]);

/** A linear SDE with its exact transition and the last time it is defined up to. */
export interface LabSde extends Required<LinearSde> {
  /** Last time the coefficients are finite (t = 1 is singular on schedules with alpha_1 = 0). */
  readonly tMax: number;
}

/** The OU process dX = -theta X dt + sigma dW; theta = 0 is Brownian motion with variance sigma^2 per unit time. */
export function ouSde(theta: number, sigma: number): LabSde {
  return {
    tMax: Infinity,
    drift: () => -theta,
    diffusion2: () => sigma * sigma,
    transition(s, t) {
      const h = t - s;
      // -expm1 keeps the variance accurate for small theta h; theta = 0 is its limit sigma^2 h
      const variance = theta === 0 ? sigma * sigma * h : (sigma * sigma * -Math.expm1(-2 * theta * h)) / (2 * theta);
      return { mean: Math.exp(-theta * h), variance };
    },
  };
}

/** The forward SDE dx = f_t x dt + g_t dW of a schedule, with x_t | x_s ~ N((alpha_t / alpha_s) x_s, sigma_t^2 - (alpha_t / alpha_s)^2 sigma_s^2). */
export function scheduleSde(spec: unknown): LabSde {
  const schedule = createSchedule(spec);
  return {
    tMax: forwardTMax(schedule),
    drift: (t) => schedule.f(t),
    diffusion2: (t) => schedule.g2(t),
    transition(s, t) {
      const m = schedule.alpha(t) / schedule.alpha(s);
      return { mean: m, variance: Math.max(0, schedule.sigma(t) ** 2 - m * m * schedule.sigma(s) ** 2) };
    },
  };
}

/** The SDE a parsed choice names. */
export function buildLabSde(spec: z.output<typeof labSdeSchema>): LabSde {
  return spec.kind === 'ou' ? ouSde(spec.theta, spec.sigma) : scheduleSde(spec.schedule);
}
