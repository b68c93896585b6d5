// The shape of a schedule preset (a validated spec schema plus a builder) and a helper that fills in a Schedule.
import type { z } from 'zod';
import type { Schedule, ScheduleSpec } from './schedule';

/** A registered schedule preset: its zod schema (defaults included) and a builder from parsed params. */
export interface SchedulePreset<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
  build(spec: z.output<S>): Schedule;
}

/** The closed forms one preset supplies (each exact, none a finite difference) and the spec it came from. */
type ScheduleParts = Omit<Schedule, 'toJSON'> & { readonly spec: ScheduleSpec };

/** Wraps closed forms as a frozen Schedule whose toJSON returns a fresh copy of the spec. */
export function makeSchedule(parts: ScheduleParts): Schedule {
  const json = JSON.stringify(parts.spec);
  return Object.freeze({
    name: parts.name,
    tMin: parts.tMin,
    alpha: parts.alpha,
    sigma: parts.sigma,
    dAlpha: parts.dAlpha,
    dSigma: parts.dSigma,
    logSnr: parts.logSnr,
    f: parts.f,
    g2: parts.g2,
    toJSON: (): ScheduleSpec => JSON.parse(json) as ScheduleSpec,
  });
}

/**
 * Closed forms of a variance-preserving path from log abar(t) and its derivative:
 * alpha = sqrt(abar), sigma = sqrt(1 - abar), beta = -d log abar / dt, f = -beta/2, g^2 = beta.
 * 1 - abar is taken as -expm1(log abar) so sigma and logSnr stay accurate near t = 0.
 */
export function vpParts(
  name: string,
  tMin: number,
  spec: ScheduleSpec,
  logAlphaBar: (t: number) => number,
  dLogAlphaBar: (t: number) => number,
): ScheduleParts {
  const alpha = (t: number): number => Math.exp(0.5 * logAlphaBar(t));
  const sigma = (t: number): number => Math.sqrt(-Math.expm1(logAlphaBar(t)));
  return {
    name,
    tMin,
    spec,
    alpha,
    sigma,
    dAlpha: (t) => 0.5 * alpha(t) * dLogAlphaBar(t),
    // d sqrt(1 - abar) = -abar (d log abar) / (2 sigma)
    dSigma: (t) => {
      const la = logAlphaBar(t);
      return (-Math.exp(la) * dLogAlphaBar(t)) / (2 * Math.sqrt(-Math.expm1(la)));
    },
    logSnr: (t) => {
      const la = logAlphaBar(t);
      return la - Math.log(-Math.expm1(la));
    },
    f: (t) => 0.5 * dLogAlphaBar(t),
    g2: (t) => -dLogAlphaBar(t),
  };
}
