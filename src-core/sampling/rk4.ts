// Classical fourth-order Runge–Kutta on dx/dt = u(x, t): four evaluations per step.
import type { FloatArray } from '../batch';
import { rk4Step } from './ode';
import type { SamplerFn } from './types';

/** One RK4 step per grid interval. */
export const rk4: SamplerFn = async (x, ctx) => {
  const { times } = ctx;
  const u = async (y: FloatArray, t: number) => (await ctx.evaluate(y, t)).velocity();
  for (let i = 0; i + 1 < times.length; i++) {
    const p = await ctx.evaluate(x, times[i]);
    x = await rk4Step(u, x, times[i], times[i + 1] - times[i], p.velocity());
    ctx.step(x, times[i + 1], p);
  }
  return x;
};
