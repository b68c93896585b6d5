// The custom preset: a log-SNR curve lambda(t) edited as control points joined by a monotone cubic (PCHIP).
import { z } from 'zod';
import { makeSchedule, type SchedulePreset } from './preset';
import { pchip } from './pchip';

/** Most control points a custom schedule may have. */
const MAX_CUSTOM_POINTS = 256;

const pointSchema = z.object({ t: z.number(), logSnr: z.number().min(-100).max(100) }).strict();

const schema = z
  .object({
    name: z.literal('custom'),
    type: z.enum(['vp', 've']).default('vp'),
    points: z.array(pointSchema).min(2).max(MAX_CUSTOM_POINTS),
  })
  .strict()
  .superRefine((v, ctx) => {
    const p = v.points;
    if (p.length < 2) return; // already reported by min(2)
    if (p[0].t !== 0) ctx.addIssue({ code: 'custom', path: ['points', 0, 't'], message: `the first point must be at t = 0, got ${p[0].t}` });
    const last = p.length - 1;
    if (p[last].t !== 1) ctx.addIssue({ code: 'custom', path: ['points', last, 't'], message: `the last point must be at t = 1, got ${p[last].t}` });
    for (let i = 1; i < p.length; i++) {
      if (!(p[i].t > p[i - 1].t)) {
        ctx.addIssue({ code: 'custom', path: ['points', i, 't'], message: `t must be strictly increasing: point ${i} has t = ${p[i].t} after ${p[i - 1].t}` });
      }
      if (!(p[i].logSnr < p[i - 1].logSnr)) {
        ctx.addIssue({
          code: 'custom',
          path: ['points', i, 'logSnr'],
          message: `logSnr must be strictly decreasing: point ${i} has logSnr = ${p[i].logSnr} after ${p[i - 1].logSnr}`,
        });
      }
    }
  });

/** log(sigmoid(x)) without overflow. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** sigmoid(x) without overflow. */
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * The custom preset. VP type: alpha^2 = sigmoid(lambda), sigma^2 = sigmoid(-lambda), so
 * f = sigmoid(-lambda) lambda'/2. VE type: alpha = 1, sigma = exp(-lambda/2), f = 0.
 * Both give g^2 = -lambda' sigma^2 (from g^2 = 2 sigma sigma' - 2 f sigma^2).
 */
export const customPreset: SchedulePreset<typeof schema> = {
  name: 'custom',
  schema,
  build(spec) {
    const curve = pchip(
      spec.points.map((p) => p.t),
      spec.points.map((p) => p.logSnr),
    );
    const lambda = (t: number): number => curve.value(t);
    const dLambda = (t: number): number => curve.derivative(t);
    const json = { name: 'custom', type: spec.type, points: spec.points.map((p) => ({ t: p.t, logSnr: p.logSnr })) };
    if (spec.type === 've') {
      const sigma = (t: number): number => Math.exp(-0.5 * lambda(t));
      return makeSchedule({
        name: 'custom',
        tMin: 1e-3,
        spec: json,
        alpha: () => 1,
        sigma,
        dAlpha: () => 0,
        dSigma: (t) => -0.5 * dLambda(t) * sigma(t),
        logSnr: lambda,
        f: () => 0,
        g2: (t) => -dLambda(t) * sigma(t) ** 2,
      });
    }
    const alpha = (t: number): number => Math.exp(0.5 * logSigmoid(lambda(t)));
    const sigma = (t: number): number => Math.exp(0.5 * logSigmoid(-lambda(t)));
    return makeSchedule({
      name: 'custom',
      tMin: 1e-3,
      spec: json,
      alpha,
      sigma,
      // d log alpha = sigmoid(-lambda) lambda'/2, d log sigma = -sigmoid(lambda) lambda'/2
      dAlpha: (t) => 0.5 * alpha(t) * sigmoid(-lambda(t)) * dLambda(t),
      dSigma: (t) => -0.5 * sigma(t) * sigmoid(lambda(t)) * dLambda(t),
      logSnr: lambda,
      f: (t) => 0.5 * sigmoid(-lambda(t)) * dLambda(t),
      g2: (t) => -dLambda(t) * sigmoid(-lambda(t)),
    });
  },
};
