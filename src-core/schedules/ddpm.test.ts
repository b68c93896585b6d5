// The ddpm preset against the discrete product formula, computed here independently.
import { describe, expect, it } from 'vitest';
import { createSchedule, discreteSteps } from './index';

/** abar_i = prod_{j<=i} (1 - beta_j), beta linear from betaStart to betaEnd over T steps. */
function alphaBars(betaStart: number, betaEnd: number, T: number): number[] {
  const out = [1];
  let prod = 1;
  for (let j = 1; j <= T; j++) {
    prod *= 1 - (betaStart + ((betaEnd - betaStart) * (j - 1)) / (T - 1));
    out.push(prod);
  }
  return out;
}

describe('ddpm', () => {
  it('alpha^2 and sigma^2 at t_i = i/T equal the product formula', () => {
    const s = createSchedule({ name: 'ddpm' });
    const abar = alphaBars(1e-4, 0.02, 1000);
    for (let i = 0; i <= 1000; i += 7) {
      expect(s.alpha(i / 1000) ** 2 / abar[i], `i=${i}`).toBeCloseTo(1, 10);
      expect(s.sigma(i / 1000) ** 2 / (1 - abar[i] || 1), `i=${i}`).toBeCloseTo(i === 0 ? 0 : 1, 8);
    }
  });

  it('a non-default spec uses its own betas and T; tMin = 1/T', () => {
    const s = createSchedule({ name: 'ddpm', betaStart: 0.001, betaEnd: 0.2, T: 50 });
    const abar = alphaBars(0.001, 0.2, 50);
    for (let i = 1; i <= 50; i++) expect(s.alpha(i / 50) ** 2 / abar[i]).toBeCloseTo(1, 12);
    expect(s.tMin).toBeCloseTo(1 / 50, 15);
    expect(discreteSteps(s)).toBe(50);
    expect(discreteSteps(createSchedule({ name: 'vp-linear' }))).toBeUndefined();
  });

  it('log abar is linear in t between grid points', () => {
    const s = createSchedule({ name: 'ddpm', T: 10 });
    const abar = alphaBars(1e-4, 0.02, 10);
    const t = 0.43; // between t_4 and t_5
    const expected = Math.log(abar[4]) + (Math.log(abar[5]) - Math.log(abar[4])) * (t * 10 - 4);
    expect(2 * Math.log(s.alpha(t))).toBeCloseTo(expected, 12);
    expect(s.g2(t)).toBeCloseTo(-10 * Math.log(1 - (1e-4 + (0.02 - 1e-4) * 4 / 9)), 10);
  });
});
