// Predictor–corrector: a reverse-SDE Euler–Maruyama predictor step, then k Langevin corrector steps at the new t.
import { emStep } from './euler-maruyama';
import { correct, correctorOf } from './langevin';
import type { SamplerFn } from './types';

/** Predictor with noise scale gamma, then correctorSteps Langevin steps with snr r (ranges and defaults in the registry). */
export const pc: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  const gamma = ctx.option('gamma');
  const { snr, steps } = correctorOf(ctx);
  for (let i = 0; i + 1 < times.length; i++) {
    const p = await ctx.evaluate(x, times[i]);
    x = emStep(ctx, p, times[i + 1], gamma);
    x = (await correct(ctx, x, times[i + 1], steps, snr)).x;
    ctx.step(x, times[i + 1], p);
  }
  return x;
};
