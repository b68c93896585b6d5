// The VDM posterior q(x_s | x_t, x0) against the DDPM closed form and the marginals it must keep.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { createSchedule } from '../schedules/index';
import { posteriorCoefficients } from './index';

describe('posteriorCoefficients', () => {
  it('on ddpm with s = t - 1/T equals beta_tilde and the DDPM mean coefficients', () => {
    const T = 1000;
    const s = createSchedule({ name: 'ddpm' });
    const betas = [0];
    const abar = [1];
    for (let j = 1; j <= T; j++) {
      betas.push(1e-4 + ((0.02 - 1e-4) * (j - 1)) / (T - 1));
      abar.push(abar[j - 1] * (1 - betas[j]));
    }
    for (const i of [2, 3, 10, 100, 457, 999, 1000]) {
      const p = posteriorCoefficients(s, i / T, (i - 1) / T);
      const betaTilde = (betas[i] * (1 - abar[i - 1])) / (1 - abar[i]);
      const onX0 = (Math.sqrt(abar[i - 1]) * betas[i]) / (1 - abar[i]);
      const onXt = (Math.sqrt(1 - betas[i]) * (1 - abar[i - 1])) / (1 - abar[i]);
      expect(p.variance / betaTilde, `variance at i=${i}`).toBeCloseTo(1, 8);
      expect(p.x0Coef / onX0, `x0 coefficient at i=${i}`).toBeCloseTo(1, 8);
      expect(p.xtCoef / onXt, `x_t coefficient at i=${i}`).toBeCloseTo(1, 8);
    }
    // i = 1: s = 0 has sigma = 0, so the step returns x0 exactly
    const first = posteriorCoefficients(s, 1 / T, 0);
    expect(first.variance).toBe(0);
    expect(first.xtCoef).toBe(0);
    expect(first.x0Coef).toBeCloseTo(1, 12);
  });

  it('matches a = alpha_t/alpha_s, q = sigma_t^2 - a^2 sigma_s^2 computed directly', () => {
    const s = createSchedule({ name: 'vp-linear' });
    const [t, u] = [0.7, 0.4];
    const a = s.alpha(t) / s.alpha(u);
    const q = s.sigma(t) ** 2 - a * a * s.sigma(u) ** 2;
    const p = posteriorCoefficients(s, t, u);
    expect(p.xtCoef).toBeCloseTo((a * s.sigma(u) ** 2) / s.sigma(t) ** 2, 12);
    expect(p.x0Coef).toBeCloseTo((s.alpha(u) * q) / s.sigma(t) ** 2, 12);
    expect(p.variance).toBeCloseTo((q * s.sigma(u) ** 2) / s.sigma(t) ** 2, 12);
  });

  it.each([{ name: 'vp-cosine' }, { name: 've' }, { name: 'linear' }, { name: 'sub-vp' }])(
    'keeps the marginal N(alpha_s x0, sigma_s^2) on %j',
    (spec) => {
      const s = createSchedule(spec);
      for (const [t, u] of [[0.5, 0.3], [0.9, 0.1], [1, 0.5], [0.2, 0.199]]) {
        const p = posteriorCoefficients(s, t, u);
        // x_s = xtCoef (alpha_t x0 + sigma_t eps) + x0Coef x0 + sqrt(variance) z
        expect(p.xtCoef * s.alpha(t) + p.x0Coef).toBeCloseTo(s.alpha(u), 10);
        expect(p.xtCoef ** 2 * s.sigma(t) ** 2 + p.variance).toBeCloseTo(s.sigma(u) ** 2, 8);
      }
    },
  );

  it('linear from t = 1 to s = 0 lands on x0 exactly', () => {
    const p = posteriorCoefficients(createSchedule({ name: 'linear' }), 1, 0);
    expect(p).toEqual({ xtCoef: 0, x0Coef: 1, variance: 0 });
  });

  it('rejects s >= t and non-finite times', () => {
    const s = createSchedule({ name: 'vp-linear' });
    expect(() => posteriorCoefficients(s, 0.3, 0.3)).toThrow(StudioError);
    expect(() => posteriorCoefficients(s, 0.3, 0.5)).toThrow(/s < t/);
    expect(() => posteriorCoefficients(s, NaN, 0.1)).toThrow(/finite/);
  });
});
