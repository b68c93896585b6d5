// Heun's method (explicit trapezoid) on dx/dt = u(x, t): two evaluations per step, order 2.
import { combine } from './ode';
import type { SamplerFn } from './types';

/**
 * Euler predictor then trapezoid corrector. The correction is kept on the last step too, also
 * when sigma reaches 0: the velocity stays finite there (unlike k-diffusion's (x - x0)/sigma),
 * so every step costs exactly 2 evaluations and the order stays 2.
 */
export const heun: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  for (let i = 0; i + 1 < times.length; i++) {
    const h = times[i + 1] - times[i];
    const p = await ctx.evaluate(x, times[i]);
    const k1 = p.velocity();
    const k2 = (await ctx.evaluate(combine(x, [[h, k1]]), times[i + 1])).velocity();
    x = combine(x, [[h / 2, k1], [h / 2, k2]]);
    ctx.step(x, times[i + 1], p);
  }
  return x;
};
