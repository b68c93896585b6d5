// Adaptive Dormand–Prince 5(4) on dx/dt = u(x, t), from the grid's first time to its last.
import type { FloatArray } from '../batch';
import { dopri5 as integrate } from './ode';
import type { Prediction, SamplerFn } from './types';

/** Error-controlled steps (rtol, atol); the grid's first interval is the first trial step; NFE is capped by maxNfe. */
export const dopri5: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  // the registry declares their ranges (rtol, atol > 0; maxNfe >= 7, one accepted step) and defaults
  const rtol = ctx.option('rtol');
  const atol = ctx.option('atol');
  const maxNfe = ctx.option('maxNfe');
  let last: Prediction = await ctx.evaluate(x, times[0]);
  let atState = last; // the prediction at the last accepted state, for the x0 record
  const u = async (y: FloatArray, t: number) => {
    last = await ctx.evaluate(y, t);
    return last.velocity();
  };
  const tEnd = times[times.length - 1];
  const { y } = await integrate(u, x, times[0], tEnd, {
    rtol, atol, maxNfe: maxNfe - 1, h0: times[1] - times[0],
    // The last stage of an accepted step was evaluated at the new state (first-same-as-last).
    onAccept: (state, t) => {
      ctx.step(state, t, atState);
      atState = last;
    },
  }, last.velocity());
  return y;
};
