// Ancestral DDPM sampling on any schedule: draw x_s from the posterior q(x_s | x_t, x0_hat) (VDM form, MATH.md §5).
import { like } from '../batch';
import { posteriorCoefficients } from '../parameterisation';
import type { SamplerFn } from './types';

/** x_s = xtCoef x_t + x0Coef x0_hat + sqrt(v) z; on the 'ddpm' preset with s = t - 1/T, v is beta_tilde. */
export const ddpm: SamplerFn = async (x, ctx) => {
  const { times, schedule } = ctx;
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i];
    const s = times[i + 1];
    const p = await ctx.evaluate(x, t);
    const x0 = p.x0();
    const { xtCoef, x0Coef, variance } = posteriorCoefficients(schedule, t, s);
    const sd = Math.sqrt(variance);
    const z = sd > 0 ? ctx.noise(x) : null;
    const out = like(x);
    for (let j = 0; j < x.length; j++) out[j] = xtCoef * x[j] + x0Coef * x0[j] + (z ? sd * z[j] : 0);
    x = out;
    ctx.step(x, s, p);
  }
  return x;
};
