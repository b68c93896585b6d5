// The oracle's velocity against the exact flow map, sampling moments against alpha mu and C, conversions, edge times, bad specs.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { StudioError } from '../errors';
import type { Parameterisation } from '../model';
import { Rng } from '../rng';
import { createSchedule } from '../schedules';
import type { Schedule } from '../schedules/schedule';
import { createOracle, gaussianFlowMap, parseMixture, type GaussianMixture } from './index';
import { localLinear, localVpLinear } from '../../test/support/oracle-schedules';

const PRESETS: [string, Schedule][] = [
  ['local linear', localLinear],
  ['local vp-linear', localVpLinear],
  ['vp-linear', createSchedule({ name: 'vp-linear' })],
  ['vp-cosine', createSchedule({ name: 'vp-cosine' })],
  ['ve', createSchedule({ name: 've' })],
  ['linear', createSchedule({ name: 'linear' })],
];

const MIX: GaussianMixture = {
  weights: [0.6, 0.4],
  means: [[-1, 0.5], [1.5, -1]],
  covariances: [[[0.3, 0.1], [0.1, 0.2]], [[0.1, -0.02], [-0.02, 0.05]]],
};

describe('oracle velocity and the exact flow map', () => {
  for (const [label, schedule] of PRESETS) {
    it(`velocity of N(mu, s^2 I) equals d/dt of gaussianFlowMap at fixed z (${label})`, () => {
      const mu = [1.5, -0.5];
      const s = 0.4;
      const oracle = createOracle({ weights: [1], means: [mu], covariances: [[[s * s, 0], [0, s * s]]] }, schedule);
      const z = batch(new Rng(7).fillNormal(new Float64Array(12)), [6, 2]);
      for (const t of [0.05, 0.3, 0.6, 0.95]) {
        const h = 1e-6;
        const xt = gaussianFlowMap(mu, s, schedule, t, z);
        const ahead = gaussianFlowMap(mu, s, schedule, t + h, z).data;
        const behind = gaussianFlowMap(mu, s, schedule, t - h, z).data;
        const u = oracle.velocity(xt, t);
        for (let i = 0; i < u.length; i++) {
          const fd = (ahead[i] - behind[i]) / (2 * h);
          expect(Math.abs(u[i] - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
        }
      }
    });
  }
});

describe('oracle sampling', () => {
  it('sampleAt(t) has mean alpha mu and covariance C = alpha^2 S + sigma^2 I (one component)', () => {
    const mu = [1, -2];
    const S = [[0.5, 0.3], [0.3, 0.4]];
    const n = 20000;
    for (const schedule of [localLinear, localVpLinear]) {
      const oracle = createOracle({ weights: [1], means: [mu], covariances: [S] }, schedule);
      for (const t of [0, 0.3, 0.7]) {
        const alpha = schedule.alpha(t);
        const s2 = schedule.sigma(t) ** 2;
        const C = [[alpha * alpha * S[0][0] + s2, alpha * alpha * S[0][1]], [alpha * alpha * S[1][0], alpha * alpha * S[1][1] + s2]];
        const x = oracle.sampleAt(t, n, new Rng(100 + Math.round(10 * t))).data;
        const m = [0, 0];
        for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) m[j] += x[2 * i + j] / n;
        // 5 standard errors: sqrt(C_jj / n) for a mean, sqrt((C_ii C_jj + C_ij^2) / n) for a Gaussian covariance entry.
        for (let j = 0; j < 2; j++) expect(Math.abs(m[j] - alpha * mu[j])).toBeLessThan(5 * Math.sqrt(C[j][j] / n));
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) {
            let c = 0;
            for (let i = 0; i < n; i++) c += (x[2 * i + a] - m[a]) * (x[2 * i + b] - m[b]);
            c /= n - 1;
            expect(Math.abs(c - C[a][b])).toBeLessThan(5 * Math.sqrt((C[a][a] * C[b][b] + C[a][b] ** 2) / n));
          }
        }
      }
    }
  });

  it('sample() draws components in proportion to the normalised weights', () => {
    const far = { weights: [3, 1], means: [[-10, 0], [10, 0]], covariances: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] };
    const n = 10000;
    const x = createOracle(far, localLinear).sample(n, new Rng(3));
    expect(x.shape).toEqual([n, 2]);
    expect(x.data).toBeInstanceOf(Float64Array);
    let left = 0;
    for (let i = 0; i < n; i++) if (x.data[2 * i] < 0) left++;
    // Binomial(n, 0.75): std sqrt(n 0.75 0.25) = 43; allow 5 of them.
    expect(Math.abs(left - 0.75 * n)).toBeLessThan(5 * Math.sqrt(n * 0.75 * 0.25));
  });
});

describe('oracle parameterisations', () => {
  it('predict returns the chosen quantity in the buffer type of x, and velocity converts to eps and x0 by MATH.md §2', () => {
    const schedule = localVpLinear;
    const t = 0.4;
    const x64 = createOracle(MIX, schedule).sampleAt(t, 20, new Rng(1));
    const x32 = batch(Float32Array.from(x64.data), x64.shape);
    const reference = createOracle(MIX, schedule);
    for (const p of ['eps', 'x0', 'score', 'v', 'velocity'] as Parameterisation[]) {
      const model = createOracle(MIX, schedule, p);
      expect(model.parameterisation).toBe(p);
      const out32 = model.predict(x32, t);
      expect(out32).toBeInstanceOf(Float32Array);
      expect(model.predict(x64, t)).toBeInstanceOf(Float64Array);
      const direct = reference[p](x32, t);
      for (let i = 0; i < direct.length; i++) expect(out32[i]).toBeCloseTo(direct[i], 4);
    }
    const [a, s, da, ds] = [schedule.alpha(t), schedule.sigma(t), schedule.dAlpha(t), schedule.dSigma(t)];
    const D = a * ds - da * s;
    const u = reference.velocity(x64, t);
    const eps = reference.eps(x64, t);
    const x0 = reference.x0(x64, t);
    const v = reference.v(x64, t);
    for (let i = 0; i < u.length; i++) {
      const x = x64.data[i];
      expect((a * u[i] - da * x) / D).toBeCloseTo(eps[i], 9);
      expect((ds * x - s * u[i]) / D).toBeCloseTo(x0[i], 9);
      // VP: x0 = alpha x - sigma v, eps = sigma x + alpha v.
      expect(a * x - s * v[i]).toBeCloseTo(x0[i], 9);
      expect(s * x + a * v[i]).toBeCloseTo(eps[i], 9);
    }
  });

  it('at sigma = 0 (t = 0 on linear) the denoiser is the identity, eps = 0 and the velocity is -x', () => {
    const oracle = createOracle(MIX, localLinear);
    const x = batch(new Float64Array([0.3, -0.2, 2, 1, -5, 4]), [3, 2]);
    const x0 = oracle.x0(x, 0);
    const eps = oracle.eps(x, 0);
    const u = oracle.velocity(x, 0);
    for (let i = 0; i < 6; i++) {
      expect(x0[i]).toBeCloseTo(x.data[i], 12);
      expect(eps[i]).toBe(0);
      expect(u[i]).toBeCloseTo(-x.data[i], 12);
    }
  });

  it('at alpha = 0 (t = 1 on linear) x0 is the data mean and the score is -x / sigma^2', () => {
    const oracle = createOracle(MIX, localLinear);
    const x = batch(new Float64Array([0.3, -0.2, 2, 1]), [2, 2]);
    const x0 = oracle.x0(x, 1);
    const score = oracle.score(x, 1);
    const mean = [0.6 * -1 + 0.4 * 1.5, 0.6 * 0.5 + 0.4 * -1];
    for (let i = 0; i < 4; i++) {
      expect(x0[i]).toBeCloseTo(mean[i % 2], 12);
      expect(score[i]).toBeCloseTo(-x.data[i], 12);
    }
  });

  it('rejects an x whose items do not match the dimension', () => {
    const oracle = createOracle(MIX, localLinear);
    expect(() => oracle.score(batch(new Float64Array(6), [2, 3]), 0.5)).toThrow(/dimension 2/);
  });
});

describe('invalid mixtures', () => {
  const I = [[1, 0], [0, 1]];
  const cases: [string, unknown, RegExp][] = [
    ['negative weight', { weights: [1, -1], means: [[0, 0], [1, 1]], covariances: [I, I] }, /component 1: weight/],
    ['counts differ', { weights: [1, 1], means: [[0, 0]], covariances: [I, I] }, /2 weights but 1 means/],
    ['dimensions differ', { weights: [1, 1], means: [[0, 0], [1, 1, 1]], covariances: [I, I] }, /component 1: mean has dimension 3/],
    ['covariance shape', { weights: [1], means: [[0, 0]], covariances: [[[1, 0]]] }, /component 0: covariance must be 2 x 2/],
    ['not symmetric', { weights: [1, 1], means: [[0, 0], [1, 1]], covariances: [I, [[1, 0.5], [0.1, 1]]] }, /component 1: covariance is not symmetric/],
    ['not positive definite', { weights: [1], means: [[0, 0]], covariances: [[[1, 2], [2, 1]]] }, /component 0: covariance is not positive definite/],
    ['zero covariance', { weights: [1], means: [[0, 0]], covariances: [[[0, 0], [0, 0]]] }, /positive definite/],
    ['NaN mean', { weights: [1], means: [[0, Number.NaN]], covariances: [I] }, /component 0: mean\[1\]/],
    ['infinite covariance', { weights: [1], means: [[0, 0]], covariances: [[[Infinity, 0], [0, 1]]] }, /component 0: covariance\[0\]\[0\]/],
    ['no components', { weights: [], means: [], covariances: [] }, /weights/],
    ['not an object', 42, /invalid Gaussian mixture/],
  ];
  for (const [label, spec, message] of cases) {
    it(`throws invalid-argument for ${label}`, () => {
      let caught: unknown = null;
      try {
        parseMixture(spec);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StudioError);
      expect((caught as StudioError).code).toBe('invalid-argument');
      expect((caught as StudioError).message).toMatch(message);
      expect(() => createOracle(spec, localLinear)).toThrow(StudioError);
    });
  }

  it('normalises weights to sum 1', () => {
    expect(parseMixture({ weights: [2, 6], means: [[0], [1]], covariances: [[[1]], [[1]]] }).weights).toEqual([0.25, 0.75]);
  });
});
