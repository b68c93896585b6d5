// Euler–Maruyama on the gamma family dx = [u - (eta^2 / 2) score] dt + eta dW, eta = gamma g_t, run backwards.
import { like, type FloatArray } from '../batch';
import type { Schedule } from '../schedules/schedule';
import type { Prediction, SamplerContext, SamplerFn } from './types';

/**
 * The drift of the gamma family at a prediction, u - (eta^2 / 2) score with eta^2 = gamma^2 g_t^2, and eta^2 itself;
 * the score is asked for only when eta^2 > 0. Where g_t^2 is infinite (t = 1 on 'linear', alpha = 0) it is the
 * probability-flow ODE's drift: any time-dependent gamma keeps the marginals, so gamma = 0 there is exact in the limit.
 */
export function gammaDrift(schedule: Schedule, p: Pick<Prediction, 't' | 'velocity' | 'score'>, gamma: number): { readonly drift: FloatArray; readonly eta2: number } {
  const g2 = gamma === 0 ? 0 : schedule.g2(p.t);
  const eta2 = Number.isFinite(g2) ? gamma * gamma * g2 : 0;
  const u = p.velocity();
  if (eta2 === 0) return { drift: u, eta2 };
  const score = p.score();
  // float64 so that x + dt * drift rounds as the step always did
  const drift = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) drift[i] = u[i] - 0.5 * eta2 * score[i];
  return { drift, eta2 };
}

/** One step from t to s < t: x + (s - t)[u - eta^2/2 score] + eta sqrt(t - s) z. */
export function emStep(ctx: SamplerContext, p: Prediction, s: number, gamma: number): FloatArray {
  const { x, t } = p;
  const { drift, eta2 } = gammaDrift(ctx.schedule, p, gamma);
  const dt = s - t;
  const out = like(x);
  if (eta2 === 0) {
    for (let i = 0; i < x.length; i++) out[i] = x[i] + dt * drift[i];
    return out;
  }
  const z = ctx.noise(x);
  const amp = Math.sqrt(eta2 * (t - s));
  for (let i = 0; i < x.length; i++) out[i] = x[i] + dt * drift[i] + amp * z[i];
  return out;
}

/** gamma = 0: Euler on the probability-flow ODE; gamma = 1: the reverse-time SDE; same marginals for all gamma. */
export const eulerMaruyama: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  const gamma = ctx.option('gamma');
  for (let i = 0; i + 1 < times.length; i++) {
    const p = await ctx.evaluate(x, times[i]);
    x = emStep(ctx, p, times[i + 1], gamma);
    ctx.step(x, times[i + 1], p);
  }
  return x;
};
