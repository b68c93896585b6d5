// 'sameMarginals' against closed forms: the fields of one Gaussian, p_t integrating to 1 on the picture, and every gamma's particles passing the MMD
// permutation test against exact draws of p_t, while a grid far too coarse for gamma = 2 fails it.
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../schedules';
import { runComputation } from '../computation';
import { sameMarginalsComputation } from './same-marginals';

const eight = {
  weights: Array(8).fill(1 / 8),
  means: Array.from({ length: 8 }, (_, k) => [2 * Math.cos((Math.PI * k) / 4), 2 * Math.sin((Math.PI * k) / 4)]),
  covariances: Array.from({ length: 8 }, () => [[0.04, 0], [0, 0.04]]),
};
const run = (params: Record<string, unknown>) => runComputation(sameMarginalsComputation, params);

describe("lab computation 'sameMarginals'", () => {
  it('gives the score, velocity and reverse drift of one Gaussian in closed form, and p_t integrating to 1 over the picture', async () => {
    const mu = [0.5, -1];
    const s2 = 0.3;
    const r = await run({ mixture: { weights: [1], means: [mu], covariances: [[[s2, 0], [0, s2]]] }, schedule: { name: 'vp-linear' }, gammas: [0], particles: 50, steps: 8, snapshots: 5, resolution: 60, fieldResolution: 6, permutations: 20 });
    const schedule = createSchedule({ name: 'vp-linear' });
    const [x0, x1, y0, y1] = r.extent;
    const F = 6;
    r.times.forEach((t, k) => {
      const a = schedule.alpha(t);
      const s = schedule.sigma(t);
      const v = a * a * s2 + s * s;
      for (let row = 0; row < F; row++) {
        for (let col = 0; col < F; col++) {
          const x = [x0 + ((col + 0.5) / F) * (x1 - x0), y0 + ((row + 0.5) / F) * (y1 - y0)];
          const i = 2 * (k * F * F + row * F + col);
          for (let j = 0; j < 2; j++) {
            const score = -(x[j] - a * mu[j]) / v;
            // u = alpha' E[x0|x] + sigma' E[eps|x], with E[x0|x] = mu + a s2 / v (x - a mu) and E[eps|x] = -s score
            const x0hat = mu[j] + ((a * s2) / v) * (x[j] - a * mu[j]);
            const u = schedule.dAlpha(t) * x0hat - schedule.dSigma(t) * s * score;
            expect(r.score[i + j]).toBeCloseTo(score, 4);
            expect(r.velocity[i + j]).toBeCloseTo(u, 3);
            expect(r.reverseDrift[i + j]).toBeCloseTo(u - (schedule.g2(t) / 2) * score, 3);
          }
        }
      }
      // p_t on the 60 x 60 picture, which spans +-3.5 sd of every marginal: its mass is nearly all of it
      const R = 60;
      const cell = ((x1 - x0) / R) * ((y1 - y0) / R);
      let mass = 0;
      for (let p = 0; p < R * R; p++) mass += Math.exp(r.logDensity[k * R * R + p]) * cell;
      expect(mass).toBeGreaterThan(0.995);
      expect(mass).toBeLessThan(1 + 1e-3);
    });
  });

  it('the ODE (gamma = 0) and the SDEs at gamma 0.5, 1 and 2 land on the marginals p_t: MMD within the permutation null', async () => {
    const t0 = performance.now();
    const r = await run({ mixture: eight, schedule: { name: 'linear' }, gammas: [0, 0.5, 1, 2], particles: 400, steps: 1000, snapshots: 5, permutations: 200, seed: 4 });
    const p = Array.from(r.pValue);
    console.log(`eight Gaussians, linear, 1000 steps: MMD^2 ${Array.from(r.mmd2, (v) => v.toExponential(1)).join(' ')}; p ${p.map((v) => v.toFixed(2)).join(' ')}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.particles).toHaveLength(4 * 5 * 400 * 2);
    expect(r.nfe).toBe(4 * 1000);
    // 20 tests: under the null each p is uniform; all above 0.002 fails with chance under 4%
    expect(Math.min(...p)).toBeGreaterThan(0.002);
    for (let i = 0; i < r.mmd2.length; i++) expect(r.mmd2[i]).toBeLessThan(r.q95[i] * 3 + 1e-4);
  }, 60_000);

  it('a grid far too coarse for gamma = 2 misses the marginals, and the test says so', async () => {
    const r = await run({ mixture: eight, schedule: { name: 'linear' }, gammas: [0, 2], particles: 400, steps: 6, snapshots: 2, permutations: 200, seed: 4 });
    // [gamma, snapshot]: the SDE's end (gamma 2, t = 0) is far off
    expect(r.pValue[3]).toBeLessThan(0.01);
    expect(r.mmd2[3]).toBeGreaterThan(r.q95[3]);
  });
});
