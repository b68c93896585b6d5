// The ddpm preset: T discrete betas linear in i, abar_i = prod_{j<=i} (1 - beta_j) at t_i = i/T, joined in continuous time.
import { z } from 'zod';
import { makeSchedule, vpParts, type SchedulePreset } from './preset';
import type { Schedule } from './schedule';

const schema = z
  .object({
    name: z.literal('ddpm'),
    betaStart: z.number().gt(0).lt(1).default(1e-4),
    betaEnd: z.number().gt(0).lt(1).default(0.02),
    T: z.number().int('T must be an integer').min(2).max(100_000).default(1000),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.betaStart > v.betaEnd) {
      ctx.addIssue({ code: 'custom', path: ['betaStart'], message: `betaStart (${v.betaStart}) must not exceed betaEnd (${v.betaEnd})` });
    }
  });

/** beta_i for i = 1..T (index 0 unused, 0) and log abar_i for i = 0..T (log abar_0 = 0). */
function ddpmTables(betaStart: number, betaEnd: number, T: number): { betas: Float64Array; logAlphaBars: Float64Array } {
  const betas = new Float64Array(T + 1);
  const logAlphaBars = new Float64Array(T + 1);
  for (let i = 1; i <= T; i++) {
    betas[i] = betaStart + ((betaEnd - betaStart) * (i - 1)) / (T - 1);
    logAlphaBars[i] = logAlphaBars[i - 1] + Math.log1p(-betas[i]);
  }
  return { betas, logAlphaBars };
}

/**
 * The ddpm preset. Between the grid times t_{i-1} = (i-1)/T and t_i = i/T, log abar is linear in t,
 * so alpha and sigma hit the discrete values exactly at every t_i and the derivatives exist
 * between grid points (on [t_{i-1}, t_i], d log abar/dt = T log(1 - beta_i); at a grid point the
 * segment to its left is used). tMin = 1/T, the first discrete step.
 */
export const ddpmPreset: SchedulePreset<typeof schema> = {
  name: 'ddpm',
  schema,
  build(spec) {
    const T = spec.T;
    const { logAlphaBars: L } = ddpmTables(spec.betaStart, spec.betaEnd, T);
    const segment = (t: number): number => Math.min(T, Math.max(1, Math.ceil(t * T)));
    const la = (t: number): number => {
      const i = segment(t);
      return L[i - 1] + (L[i] - L[i - 1]) * (t * T - (i - 1));
    };
    const dla = (t: number): number => {
      const i = segment(t);
      return T * (L[i] - L[i - 1]);
    };
    return makeSchedule(vpParts('ddpm', 1 / T, { ...spec }, la, dla));
  },
};

/** The number of discrete steps T of a ddpm schedule, or undefined for a continuous one. */
export function discreteSteps(schedule: Schedule): number | undefined {
  if (schedule.name !== 'ddpm') return undefined;
  const T = schedule.toJSON().T;
  return typeof T === 'number' ? T : undefined;
}
