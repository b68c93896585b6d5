// DPM-Solver++(2M): a multistep exponential integrator in the half log-SNR l = log(alpha / sigma) (MATH.md §5).
import { like, type FloatArray } from '../batch';
import type { SamplerFn } from './types';

/**
 * x_i = (sigma_i / sigma_{i-1}) x_{i-1} - alpha_i expm1(-h_i) D_i. D_i = x0_hat_{i-1} (a DDIM step) on the
 * first step, after an infinite h (alpha = 0 at t = 1) and on a step to sigma = 0 (h infinite: x = alpha x0_hat,
 * where the second-order weights would blow up, as k-diffusion does); otherwise the 2M extrapolation with r = h_{i-1} / h_i.
 */
export const dpmpp2m: SamplerFn = async (x, ctx) => {
  const { times, schedule } = ctx;
  const halfLogSnr = (t: number) => Math.log(schedule.alpha(t)) - Math.log(schedule.sigma(t));
  let prevX0: FloatArray | null = null;
  let prevH = Infinity;
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i];
    const s = times[i + 1];
    const p = await ctx.evaluate(x, t);
    const x0 = p.x0();
    const h = halfLogSnr(s) - halfLogSnr(t);
    const sigmaRatio = schedule.sigma(s) / schedule.sigma(t);
    const c = -schedule.alpha(s) * Math.expm1(-h);
    const second = prevX0 !== null && Number.isFinite(prevH) && Number.isFinite(h);
    const w = second ? 1 / (2 * (prevH / h)) : 0;
    const out = like(x);
    for (let j = 0; j < x.length; j++) {
      const D = second ? (1 + w) * x0[j] - w * (prevX0 as FloatArray)[j] : x0[j];
      out[j] = sigmaRatio * x[j] + c * D;
    }
    x = out;
    prevX0 = x0;
    prevH = h;
    ctx.step(x, s, p);
  }
  return x;
};
