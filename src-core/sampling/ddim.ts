// DDIM from t to s on any schedule: x_s = alpha_s x0_hat + sqrt(sigma_s^2 - c^2) eps_hat + c z, c = eta sqrt(v).
import { like } from '../batch';
import { posteriorCoefficients } from '../parameterisation';
import type { SamplerFn } from './types';

/** eta_ddim = 0 (default) is the deterministic DDIM map; eta_ddim = 1 draws from the DDPM posterior (ancestral). */
export const ddim: SamplerFn = async (x, ctx) => {
  const { times, schedule } = ctx;
  const eta = ctx.option('eta');
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i];
    const s = times[i + 1];
    const p = await ctx.evaluate(x, t);
    const x0 = p.x0();
    const eps = p.eps();
    const alphaS = schedule.alpha(s);
    const sigmaS = schedule.sigma(s);
    const c = eta === 0 ? 0 : eta * Math.sqrt(posteriorCoefficients(schedule, t, s).variance);
    const epsCoef = Math.sqrt(Math.max(sigmaS * sigmaS - c * c, 0));
    const z = c > 0 ? ctx.noise(x) : null;
    const out = like(x);
    for (let j = 0; j < x.length; j++) out[j] = alphaS * x0[j] + epsCoef * eps[j] + (z ? c * z[j] : 0);
    x = out;
    ctx.step(x, s, p);
  }
  return x;
};
