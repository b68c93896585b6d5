// The linear preset (rectified flow, CondOT): alpha = 1 - t, sigma = sigmaMin + (1 - sigmaMin) t.
import { z } from 'zod';
import { makeSchedule, type SchedulePreset } from './preset';

const schema = z
  .object({
    name: z.literal('linear'),
    sigmaMin: z.number().min(0).lt(1, 'sigmaMin must be < 1').default(0),
  })
  .strict();

/** The linear preset; tMin = 0, and alpha reaches 0 at t = 1 (f and g^2 are infinite there). */
export const linearPreset: SchedulePreset<typeof schema> = {
  name: 'linear',
  schema,
  build(spec) {
    const sMin = spec.sigmaMin;
    const dSigma = 1 - sMin;
    const sigma = (t: number): number => sMin + dSigma * t;
    return makeSchedule({
      name: 'linear',
      tMin: 0,
      spec: { ...spec },
      alpha: (t) => 1 - t,
      sigma,
      dAlpha: () => -1,
      dSigma: () => dSigma,
      logSnr: (t) => 2 * Math.log((1 - t) / sigma(t)),
      f: (t) => -1 / (1 - t),
      // 2 sigma sigma' - 2 f sigma^2 with f = -1/(1 - t)
      g2: (t) => 2 * sigma(t) * dSigma + (2 * sigma(t) ** 2) / (1 - t),
    });
  },
};
