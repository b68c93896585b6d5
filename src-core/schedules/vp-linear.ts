// The vp-linear preset (score SDE, DDPM in the continuous limit): beta(t) = betaMin + (betaMax - betaMin) t.
import { z } from 'zod';
import { makeSchedule, vpParts, type SchedulePreset } from './preset';

/** Largest beta accepted: abar(1) = exp(-(betaMin + betaMax)/2) must stay well above underflow. */
const MAX_BETA = 1000;

/** Schema of a beta range shared by vp-linear and sub-vp. */
export function betaRangeSchema<N extends string>(name: N) {
  return z
    .object({
      name: z.literal(name),
      betaMin: z.number().min(0).max(MAX_BETA).default(0.1),
      betaMax: z.number().gt(0).max(MAX_BETA).default(20),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.betaMin > v.betaMax) {
        ctx.addIssue({ code: 'custom', path: ['betaMin'], message: `betaMin (${v.betaMin}) must not exceed betaMax (${v.betaMax})` });
      }
    });
}

/** log abar(t) = -(betaMin t + (betaMax - betaMin) t^2 / 2) and its derivative -beta(t). */
export function linearBetaLogAlphaBar(betaMin: number, betaMax: number) {
  return {
    logAlphaBar: (t: number): number => -(betaMin * t + 0.5 * (betaMax - betaMin) * t * t),
    dLogAlphaBar: (t: number): number => -(betaMin + (betaMax - betaMin) * t),
  };
}

const schema = betaRangeSchema('vp-linear');

/** The vp-linear preset. */
export const vpLinearPreset: SchedulePreset<typeof schema> = {
  name: 'vp-linear',
  schema,
  build(spec) {
    const { logAlphaBar, dLogAlphaBar } = linearBetaLogAlphaBar(spec.betaMin, spec.betaMax);
    return makeSchedule(vpParts('vp-linear', 1e-3, { ...spec }, logAlphaBar, dLogAlphaBar));
  },
};
