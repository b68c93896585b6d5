// Simulators against their known laws: Brownian Var = t, OU mean and variance, the forward SDE's marginals N(alpha x0, sigma^2).
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import { createSchedule } from '../schedules';
import { localLinear, localVpLinear } from '../../test/support/oracle-schedules';
import {
  SINGULAR_T_MAX,
  simulateBrownian,
  simulateForwardSde,
  simulateLinearSde,
  simulateOrnsteinUhlenbeck,
  uniformGrid,
  type SimulationResult,
} from './index';

/** Mean and (n - 1)-variance of coordinate j over all particles at step k. */
function moments(r: SimulationResult, k: number, j = 0): { mean: number; variance: number } {
  const [, n, d] = r.shape;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r.paths[(k * n + i) * d + j] / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (r.paths[(k * n + i) * d + j] - mean) ** 2;
  return { mean, variance: ss / (n - 1) };
}

/** 5 standard errors of a sample variance of n Gaussian draws with true variance v: 5 v sqrt(2 / (n - 1)). */
const varTol = (v: number, n: number): number => 5 * v * Math.sqrt(2 / (n - 1));

describe('Brownian motion', () => {
  it('has mean 0, Var W_t = t and Cov(W_s, W_t) = min(s, t)', () => {
    const n = 20000;
    const r = simulateBrownian({ n, d: 1, steps: 50, seed: 1 });
    expect(r.shape).toEqual([51, n, 1]);
    expect(r.times[0]).toBe(0);
    expect(r.times[50]).toBe(1);
    for (const k of [10, 25, 50]) {
      const t = r.times[k];
      const m = moments(r, k);
      expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(t / n));
      expect(Math.abs(m.variance - t)).toBeLessThan(varTol(t, n));
    }
    let cov = 0;
    for (let i = 0; i < n; i++) cov += (r.paths[10 * n + i] * r.paths[50 * n + i]) / n;
    // Var(W_s W_t) = s t + s^2 for s < t, so the standard error is sqrt((0.2 + 0.04) / n).
    expect(Math.abs(cov - 0.2)).toBeLessThan(5 * Math.sqrt(0.24 / n));
  });
});

describe('Ornstein–Uhlenbeck', () => {
  const theta = 2;
  const s = 0.7;
  const x0 = 1.5;
  const mean = (t: number): number => x0 * Math.exp(-theta * t);
  const variance = (t: number): number => (s * s * -Math.expm1(-2 * theta * t)) / (2 * theta);

  it('Euler–Maruyama: mean x0 e^{-theta t}, variance s^2 (1 - e^{-2 theta t}) / (2 theta)', () => {
    const n = 10000;
    const steps = 200;
    const h = 1 / steps;
    const r = simulateOrnsteinUhlenbeck({ n, d: 1, steps, theta, s, start: [x0], seed: 2 });
    for (const k of [50, 100, 200]) {
      const t = r.times[k];
      const m = moments(r, k);
      // Euler's factor (1 - theta h)^k = e^{-theta t} (1 - theta^2 t h / 2 + ...): a relative bias below theta^2 t h.
      const bias = mean(t) * theta * theta * t * h;
      expect(Math.abs(m.mean - mean(t))).toBeLessThan(5 * Math.sqrt(variance(t) / n) + bias);
      // The variance's relative bias is O(theta h) = 0.01.
      expect(Math.abs(m.variance - variance(t))).toBeLessThan(varTol(variance(t), n) + 2 * theta * h * variance(t));
    }
  });

  it('the exact transition keeps the law exact on a coarse grid (4 steps)', () => {
    const n = 20000;
    const r = simulateOrnsteinUhlenbeck({ n, d: 1, steps: 4, theta, s, start: [x0], method: 'exact', seed: 3 });
    for (const k of [1, 4]) {
      const t = r.times[k];
      const m = moments(r, k);
      expect(Math.abs(m.mean - mean(t))).toBeLessThan(5 * Math.sqrt(variance(t) / n));
      expect(Math.abs(m.variance - variance(t))).toBeLessThan(varTol(variance(t), n));
    }
  });
});

describe('forward SDE of a schedule', () => {
  const x0 = [1, -0.5];

  for (const [label, schedule] of [['vp-linear preset', createSchedule({ name: 'vp-linear' })], ['vp-linear from MATH.md', localVpLinear]] as const) {
    it(`from a fixed x0 has mean alpha_t x0 and variance sigma_t^2 (${label}, Euler–Maruyama)`, () => {
      const n = 8000;
      const steps = 800;
      const h = 1 / steps;
      const r = simulateForwardSde({ schedule, n, steps, start: x0, seed: 4 });
      expect(r.shape).toEqual([steps + 1, n, 2]);
      for (const k of [80, 240, 480, 800]) {
        const t = r.times[k];
        const alpha = schedule.alpha(t);
        const sigma2 = schedule.sigma(t) ** 2;
        // Euler's mean factor prod(1 + f h) differs from alpha_t = exp(int f) by a relative
        // h (|f_t - f_0| + int f^2) / 2 to first order; the bound below is twice that.
        let intF2 = 0;
        for (let i = 0; i < k; i++) intF2 += schedule.f(r.times[i]) ** 2 * h;
        const relBias = h * (Math.abs(schedule.f(t) - schedule.f(0)) + intF2);
        const pooled = (moments(r, k, 0).variance + moments(r, k, 1).variance) / 2;
        for (let j = 0; j < 2; j++) {
          const m = moments(r, k, j);
          expect(Math.abs(m.mean - alpha * x0[j])).toBeLessThan(5 * Math.sqrt(sigma2 / n) + relBias * Math.abs(alpha * x0[j]));
        }
        // Both coordinates pooled: 2n draws. |f| h <= 10 / 800 per step bounds the variance's relative Euler bias by about 0.0125.
        expect(Math.abs(pooled - sigma2)).toBeLessThan(varTol(sigma2, 2 * n) + 0.0125 * sigma2);
      }
    });
  }

  it('the exact transition gives N(alpha x0, sigma^2) on a coarse grid, and linear stops short of t = 1', () => {
    for (const schedule of [createSchedule({ name: 'linear' }), localLinear]) {
      const n = 10000;
      const r = simulateForwardSde({ schedule, n, steps: 5, start: x0, method: 'exact', seed: 5 });
      expect(r.times[5]).toBe(SINGULAR_T_MAX);
      for (const k of [2, 5]) {
        const t = r.times[k];
        const sigma2 = schedule.sigma(t) ** 2;
        for (let j = 0; j < 2; j++) {
          const m = moments(r, k, j);
          expect(Math.abs(m.mean - schedule.alpha(t) * x0[j])).toBeLessThan(5 * Math.sqrt(sigma2 / n));
          expect(Math.abs(m.variance - sigma2)).toBeLessThan(varTol(sigma2, n));
        }
      }
    }
  });

  it('Euler–Maruyama on linear stays finite up to its default t_max', () => {
    const r = simulateForwardSde({ schedule: createSchedule({ name: 'linear' }), n: 100, steps: 100, start: x0, seed: 6 });
    expect(r.times[100]).toBe(SINGULAR_T_MAX);
    expect(r.paths.every(Number.isFinite)).toBe(true);
  });
});

describe('simulator plumbing', () => {
  it('is reproducible for a seed and starts from a given batch', () => {
    const start = batch(new Float32Array([0, 1, 2, 3, 4, 5]), [3, 2]);
    const a = simulateBrownian({ n: 3, steps: 10, start, seed: 9 });
    const b = simulateBrownian({ n: 3, steps: 10, start, seed: 9 });
    expect(Array.from(a.paths)).toEqual(Array.from(b.paths));
    expect(Array.from(a.paths.subarray(0, 6))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => simulateBrownian({ n: 4, steps: 10, start })).toThrow(StudioError);
  });

  it('honours the cancel flag', () => {
    expect(() => simulateBrownian({ n: 10, steps: 10, signal: { aborted: true } })).toThrow(expect.objectContaining({ code: 'cancelled' }));
    let reads = 0;
    const flag = {
      get aborted(): boolean {
        return ++reads > 3;
      },
    };
    expect(() => simulateOrnsteinUhlenbeck({ n: 10, steps: 10, theta: 1, s: 1, signal: flag })).toThrow(/step 3 of 10/);
  });

  it('rejects bad options', () => {
    expect(() => simulateBrownian({ n: 0, steps: 10 })).toThrow(StudioError);
    expect(() => simulateBrownian({ n: 10, steps: 1.5 })).toThrow(StudioError);
    expect(() => simulateOrnsteinUhlenbeck({ n: 10, steps: 10, theta: -1, s: 1 })).toThrow(StudioError);
    expect(() => simulateForwardSde({ schedule: localVpLinear, n: 10, steps: 10, tStart: 0.5, tMax: 0.2 })).toThrow(StudioError);
    expect(() => simulateBrownian({ n: 100_000, steps: 1000 })).toThrow(/too large/);
    // Drift -50 with step 0.1 makes Euler's factor 1 + f h = -4: refused rather than oscillating.
    const stiff = { drift: () => -50, diffusion2: () => 1 };
    expect(() => simulateLinearSde(stiff, uniformGrid(0, 1, 10), { n: 2, steps: 10 })).toThrow(/unstable/);
  });
});
