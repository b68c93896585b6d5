// Annealed Langevin dynamics: the Langevin corrector alone over the decreasing ladder t_1 > ... > t_n.
import { correct, correctorOf } from './langevin';
import type { SamplerFn } from './types';

/** At each level t_i (i = 1..n) run correctorSteps (at least 1) Langevin steps targeting p_{t_i}. */
export const annealedLangevin: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  const { snr, steps } = correctorOf(ctx);
  for (let i = 1; i < times.length; i++) {
    const r = await correct(ctx, x, times[i], steps, snr);
    x = r.x;
    ctx.step(x, times[i], r.first);
  }
  return x;
};
