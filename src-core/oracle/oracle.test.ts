// The oracle against the math: score = grad log p_t, Tweedie, normalisation, the one-Gaussian closed form, far tails.
import { describe, expect, it } from 'vitest';
import { batch, type Batch } from '../batch';
import { Rng } from '../rng';
import { createSchedule } from '../schedules';
import type { Schedule } from '../schedules/schedule';
import { createOracle, type GaussianMixture } from './index';
import { localLinear, localVpLinear } from '../../test/support/oracle-schedules';

const MIX2: GaussianMixture = {
  weights: [2, 1, 1], // normalised by the oracle to 0.5, 0.25, 0.25
  means: [[-1.5, 0.5], [1.2, 1], [0.5, -1.5]],
  covariances: [
    [[0.3, 0.12], [0.12, 0.2]],
    [[0.08, -0.03], [-0.03, 0.4]],
    [[0.15, 0], [0, 0.05]],
  ],
};
const MIX3: GaussianMixture = {
  weights: [0.3, 0.7],
  means: [[1, 0, -1], [-0.5, 0.8, 0.3]],
  covariances: [
    [[0.5, 0.1, 0], [0.1, 0.3, -0.05], [0, -0.05, 0.2]],
    [[0.2, 0, 0.05], [0, 0.6, 0], [0.05, 0, 0.25]],
  ],
};

const SCHEDULES: [string, Schedule, number[]][] = [
  ['local linear', localLinear, [0, 0.1, 0.5, 0.9, 1]],
  ['local vp-linear', localVpLinear, [0.001, 0.2, 0.5, 0.9]],
  ['vp-linear', createSchedule({ name: 'vp-linear' }), [0.001, 0.2, 0.5, 1]],
  ['vp-cosine', createSchedule({ name: 'vp-cosine' }), [0.001, 0.3, 0.8]],
  ['ve', createSchedule({ name: 've' }), [0.001, 0.3, 0.9]],
  ['linear', createSchedule({ name: 'linear' }), [0, 0.3, 0.7, 1]],
];

/** Points spread around and beyond the bulk of p_t: exact draws plus wide Gaussian offsets. */
function probePoints(mixture: GaussianMixture, schedule: Schedule, t: number, n: number, seed: number): Batch<Float64Array> {
  const rng = new Rng(seed);
  const x = createOracle(mixture, schedule).sampleAt(t, n, rng);
  for (let i = 0; i < x.data.length; i++) x.data[i] += rng.normal();
  return x;
}

describe('oracle score, denoiser and density', () => {
  for (const [label, schedule, times] of SCHEDULES) {
    for (const mixture of [MIX2, MIX3]) {
      const d = mixture.means[0].length;
      it(`score is the central-difference gradient of logDensity (${label}, d = ${d})`, () => {
        const oracle = createOracle(mixture, schedule);
        for (const t of times) {
          const x = probePoints(mixture, schedule, t, 8, 11);
          const score = oracle.score(x, t);
          const h = 1e-5;
          for (let j = 0; j < d; j++) {
            const plus = batch(x.data.slice(), x.shape);
            const minus = batch(x.data.slice(), x.shape);
            for (let i = 0; i < 8; i++) {
              plus.data[i * d + j] += h;
              minus.data[i * d + j] -= h;
            }
            const lp = oracle.logDensity(plus, t);
            const lm = oracle.logDensity(minus, t);
            for (let i = 0; i < 8; i++) {
              const fd = (lp[i] - lm[i]) / (2 * h);
              expect(Math.abs(score[i * d + j] - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
            }
          }
        }
      });

      it(`x0 satisfies Tweedie, x0 = (x + sigma^2 score) / alpha (${label}, d = ${d})`, () => {
        const oracle = createOracle(mixture, schedule);
        for (const t of times) {
          const alpha = schedule.alpha(t);
          if (alpha < 1e-3) continue; // alpha = 0 leaves x0 undetermined by this identity
          const sigma = schedule.sigma(t);
          const x = probePoints(mixture, schedule, t, 16, 5);
          const score = oracle.score(x, t);
          const x0 = oracle.x0(x, t);
          for (let i = 0; i < x0.length; i++) {
            const tweedie = (x.data[i] + sigma * sigma * score[i]) / alpha;
            const scale = (Math.abs(x.data[i]) + sigma * sigma * Math.abs(score[i])) / alpha;
            expect(Math.abs(x0[i] - tweedie)).toBeLessThan(1e-10 * (1 + scale));
          }
        }
      });
    }
  }

  it('logDensity integrates to 1 over a fine 2D grid', () => {
    const cases: [Schedule, number][] = [[localLinear, 0], [localLinear, 0.4], [localVpLinear, 0.3], [createSchedule({ name: 've', sigmaMax: 2 }), 0.5]];
    for (const [schedule, t] of cases) {
      const oracle = createOracle(MIX2, schedule);
      // Every component at these t has std < 1.5 and |alpha mu| < 2: [-10, 10]^2 leaves out < 1e-8 of the mass.
      const m = 400;
      const h = 20 / m;
      const grid = new Float64Array(m * m * 2);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          grid[2 * (a * m + b)] = -10 + (a + 0.5) * h;
          grid[2 * (a * m + b) + 1] = -10 + (b + 0.5) * h;
        }
      }
      const logp = oracle.logDensity(batch(grid, [m * m, 2]), t);
      let mass = 0;
      for (const l of logp) mass += Math.exp(l) * h * h;
      // The smallest std is 0.22 > 4 h; on Gaussians the midpoint rule's error then is ~exp(-2 pi^2 (std/h)^2), negligible.
      expect(Math.abs(mass - 1)).toBeLessThan(1e-4);
    }
  });

  it('matches the closed form of one isotropic Gaussian: log N(alpha mu, (alpha^2 s^2 + sigma^2) I) and its score', () => {
    const mu = [0.7, -1.2, 2];
    const s = 0.6;
    for (const [, schedule, times] of SCHEDULES) {
      const oracle = createOracle({ weights: [1], means: [mu], covariances: [[[s * s, 0, 0], [0, s * s, 0], [0, 0, s * s]]] }, schedule);
      for (const t of times) {
        const alpha = schedule.alpha(t);
        const c = alpha * alpha * s * s + schedule.sigma(t) ** 2;
        const x = probePoints(oracle.mixture, schedule, t, 10, 3);
        const logp = oracle.logDensity(x, t);
        const score = oracle.score(x, t);
        for (let i = 0; i < 10; i++) {
          let r2 = 0;
          for (let j = 0; j < 3; j++) {
            const diff = x.data[3 * i + j] - alpha * mu[j];
            r2 += diff * diff;
            expect(score[3 * i + j]).toBeCloseTo(-diff / c, 9);
          }
          expect(logp[i]).toBeCloseTo(-1.5 * Math.log(2 * Math.PI * c) - r2 / (2 * c), 9);
        }
      }
    }
  });

  it('far in the tails, log-sum-exp keeps the score exact (nearest component dominates)', () => {
    const iso = { weights: [0.5, 0.5], means: [[-1, 0], [1, 0]], covariances: [[[0.1, 0], [0, 0.1]], [[0.1, 0], [0, 0.1]]] };
    const oracle = createOracle(iso, localLinear);
    const t = 0.2;
    const alpha = 0.8;
    const c = alpha * alpha * 0.1 + t * t;
    const x = batch(new Float64Array([1000, 0, -800, 600]), [2, 2]);
    const score = oracle.score(x, t);
    const logp = oracle.logDensity(x, t);
    expect(logp.every(Number.isFinite)).toBe(true);
    expect(logp[0]).toBeLessThan(-1e6);
    // Row 0 is nearest mean (1, 0), row 1 nearest (-1, 0).
    const expected = [-(1000 - alpha) / c, 0, -(-800 + alpha) / c, -600 / c];
    for (let i = 0; i < 4; i++) expect(score[i]).toBeCloseTo(expected[i], 6);
  });
});
