// 'forwardSde' against the exact law x_t | x_0 ~ N(alpha_t x_0, sigma_t^2 I): residuals standard normal on a fine grid or with exact steps, visibly off on a coarse Euler grid.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../data';
import { createSchedule } from '../../schedules';
import { runComputation } from '../computation';
import { forwardSdeComputation } from './forward-sde';

const run = (params: Record<string, unknown>) => runComputation(forwardSdeComputation, params);

describe("lab computation 'forwardSde'", () => {
  it('starts on the data set and reports alpha_t, sigma_t of the schedule', async () => {
    const r = await run({ schedule: { name: 'vp-linear' }, data: { id: 'two-moons' }, particles: 300, steps: 200, snapshots: 5, seed: 3 });
    const data = generateDataset('two-moons', { count: 300, seed: 3 });
    expect(Array.from(r.frames.subarray(0, 600))).toEqual(Array.from(data.data));
    const s = createSchedule({ name: 'vp-linear' });
    for (let k = 0; k < 5; k++) {
      expect(r.alpha[k]).toBeCloseTo(s.alpha(r.times[k]), 10);
      expect(r.sigma[k]).toBeCloseTo(s.sigma(r.times[k]), 10);
    }
    expect(r.times[4]).toBe(1);
    expect(Number.isNaN(r.residual.ks[0])).toBe(true);
  });

  it('residuals (x_t - alpha_t x_0) / sigma_t are N(0, 1) with exact steps and with a fine Euler grid, on vp-linear and linear', async () => {
    for (const [schedule, method, steps] of [[{ name: 'vp-linear' }, 'exact', 20], [{ name: 'vp-linear' }, 'euler-maruyama', 4000], [{ name: 'linear' }, 'euler-maruyama', 4000]] as const) {
      const r = await run({ schedule, data: { id: 'eight-gaussians' }, particles: 2000, steps, snapshots: 5, method, seed: 1 });
      for (let k = 1; k < 5; k++) {
        // 4000 draws: the mean's standard error is 0.016, the variance's 0.022
        expect(Math.abs(r.residual.mean[k])).toBeLessThan(0.08);
        expect(Math.abs(r.residual.variance[k] - 1)).toBeLessThan(0.11);
        expect(r.residual.pValue[k]).toBeGreaterThan(1e-3);
      }
    }
  });

  it('a coarse Euler–Maruyama grid on vp-linear shows in the residuals', async () => {
    const r = await run({ schedule: { name: 'vp-linear' }, data: { id: 'eight-gaussians' }, particles: 2000, steps: 20, snapshots: 5, seed: 1 });
    // five steps per quarter: beta h reaches 1 near t = 1, where Euler's variance is far from sigma_t^2
    expect(r.residual.pValue[4]).toBeLessThan(1e-6);
  });
});
