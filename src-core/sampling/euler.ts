// Euler's method on the probability-flow ODE dx/dt = u(x, t): one evaluation per step, order 1.
import { combine } from './ode';
import type { SamplerFn } from './types';

/** x_{i+1} = x_i + (t_{i+1} - t_i) u(x_i, t_i). */
export const euler: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  for (let i = 0; i + 1 < times.length; i++) {
    const p = await ctx.evaluate(x, times[i]);
    x = combine(x, [[times[i + 1] - times[i], p.velocity()]]);
    ctx.step(x, times[i + 1], p);
  }
  return x;
};
