// Adaptive Dormand–Prince 5(4) on dx/dt = u(x, t), from the grid's first time to its last.
import type { FloatArray } from '../batch';
import { check } from '../errors';
import { dopri5 as integrate } from './ode';
import type { Prediction, SamplerFn } from './types';

/** Error-controlled steps (rtol, atol); the grid's first interval is the first trial step; NFE is capped by maxNfe. */
export const dopri5: SamplerFn = async (x, ctx) => {
  const { times, options } = ctx;
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-5;
  const maxNfe = options.maxNfe ?? 10000;
  check(rtol > 0 && atol > 0, `dopri5 needs rtol > 0 and atol > 0, got ${rtol}, ${atol}`);
  check(maxNfe >= 7, `dopri5 needs maxNfe >= 7, got ${maxNfe}`);
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
