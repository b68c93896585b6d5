// The ve preset (NCSN / score SDE VE): alpha = 1, sigma = sigmaMin (sigmaMax/sigmaMin)^t.
import { z } from 'zod';
import { makeSchedule, type SchedulePreset } from './preset';

const schema = z
  .object({
    name: z.literal('ve'),
    sigmaMin: z.number().gt(0, 'sigmaMin must be > 0').default(0.01),
    sigmaMax: z.number().gt(0).max(1e6).default(50),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.sigmaMax <= v.sigmaMin) {
      ctx.addIssue({ code: 'custom', path: ['sigmaMax'], message: `sigmaMax (${v.sigmaMax}) must exceed sigmaMin (${v.sigmaMin})` });
    }
  });

/** The ve preset: f = 0, g^2 = d(sigma^2)/dt = 2 sigma^2 log(sigmaMax/sigmaMin). */
export const vePreset: SchedulePreset<typeof schema> = {
  name: 've',
  schema,
  build(spec) {
    const logMin = Math.log(spec.sigmaMin);
    const rate = Math.log(spec.sigmaMax / spec.sigmaMin);
    const sigma = (t: number): number => Math.exp(logMin + rate * t);
    return makeSchedule({
      name: 've',
      tMin: 1e-3,
      spec: { ...spec },
      alpha: () => 1,
      sigma,
      dAlpha: () => 0,
      dSigma: (t) => rate * sigma(t),
      logSnr: (t) => -2 * (logMin + rate * t),
      f: () => 0,
      g2: (t) => 2 * rate * sigma(t) ** 2,
    });
  },
};
