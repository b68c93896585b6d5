// Training targets and weightings against their definitions (MATH.md §3), with one time per row.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { PARAMETERISATIONS, type Parameterisation } from '../model';
import { Rng } from '../rng';
import { createSchedule } from '../schedules/index';
import { convertPrediction, lossTarget, lossWeight, lossWeights, noisyInput, LOSS_WEIGHTINGS } from './index';

const rows = 5;
const d = 3;
const rng = new Rng(5);
const x0 = rng.fillNormal(new Float32Array(rows * d));
const eps = rng.fillNormal(new Float32Array(rows * d));
const t = Float64Array.from([0.01, 0.2, 0.5, 0.77, 0.99]);

describe('noisyInput and lossTarget', () => {
  const s = createSchedule({ name: 'vp-cosine' });

  it('x_t = alpha_t x0 + sigma_t eps, each row at its own t', () => {
    const x = noisyInput(x0, eps, t, d, s);
    expect(x).toBeInstanceOf(Float32Array);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const i = r * d + j;
        expect(x[i]).toBeCloseTo(s.alpha(t[r]) * x0[i] + s.sigma(t[r]) * eps[i], 6);
      }
    }
  });

  it('each target equals its definition', () => {
    const def: Record<Parameterisation, (r: number, i: number) => number> = {
      eps: (_r, i) => eps[i],
      x0: (_r, i) => x0[i],
      v: (r, i) => s.alpha(t[r]) * eps[i] - s.sigma(t[r]) * x0[i],
      score: (r, i) => -eps[i] / s.sigma(t[r]),
      velocity: (r, i) => s.dAlpha(t[r]) * x0[i] + s.dSigma(t[r]) * eps[i],
    };
    for (const param of PARAMETERISATIONS) {
      const target = lossTarget(param, x0, eps, t, d, s);
      expect(target).toBeInstanceOf(Float32Array);
      for (let i = 0; i < rows * d; i++) {
        const want = def[param](Math.floor(i / d), i);
        expect(Math.abs(target[i] - want), `${param}[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it('the velocity target on linear is eps - x0, also at t = 0 and t = 1', () => {
    const lin = createSchedule({ name: 'linear' });
    const tt = Float32Array.from([0, 0.3, 0.5, 0.9, 1]);
    const target = lossTarget('velocity', x0, eps, tt, d, lin);
    for (let i = 0; i < rows * d; i++) expect(target[i]).toBeCloseTo(eps[i] - x0[i], 6);
  });

  it('rejects mismatched lengths, non-finite times and unknown names', () => {
    const codeOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return e instanceof StudioError ? `${e.code}: ${e.message}` : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => noisyInput(x0, eps.subarray(1), t, d, s))).toMatch(/^invalid-shape: x0 has 15 numbers but eps has 14/);
    expect(codeOf(() => lossTarget('eps', x0, eps, t.subarray(1), d, s))).toMatch(/^invalid-shape: .*4 rows/);
    expect(codeOf(() => lossTarget('eps', x0, eps, Float64Array.from([0.1, NaN, 0.2, 0.3, 0.4]), d, s))).toMatch(/^not-finite: t\[1\]/);
    expect(codeOf(() => lossTarget('flow' as Parameterisation, x0, eps, t, d, s))).toMatch(/^unknown-name/);
    expect(codeOf(() => lossTarget('eps', x0, eps, t, 0, s))).toMatch(/^invalid-argument: rowSize/);
  });
});

describe('loss weightings', () => {
  it('none, sigma2 and snr are their formulas', () => {
    const s = createSchedule({ name: 'vp-linear' });
    for (const tt of [0.1, 0.5, 0.9]) {
      expect(lossWeight('none', 'eps', tt, s)).toBe(1);
      expect(lossWeight('sigma2', 'score', tt, s)).toBeCloseTo(s.sigma(tt) ** 2, 12);
      expect(lossWeight('snr', 'x0', tt, s)).toBeCloseTo(s.alpha(tt) ** 2 / s.sigma(tt) ** 2, 10);
    }
    expect([...LOSS_WEIGHTINGS]).toEqual(['none', 'sigma2', 'snr', 'min-snr-5']);
  });

  it('sigma2 turns the score error into the eps error', () => {
    const s = createSchedule({ name: 've' });
    const tt = 0.6;
    const scoreErr = -0.3 / s.sigma(tt); // the score error of an eps error of 0.3
    expect(lossWeight('sigma2', 'score', tt, s) * scoreErr ** 2).toBeCloseTo(0.09, 12);
  });

  it('min-snr-5 makes every parameterisation\'s squared error min(SNR, 5) times the x0 error', () => {
    for (const spec of [{ name: 'vp-linear' }, { name: 'linear' }, { name: 've' }]) {
      const s = createSchedule(spec);
      for (const tt of [0.05, 0.3, 0.6, 0.95]) {
        const x = new Float64Array(noisyInput(Float64Array.from(x0), Float64Array.from(eps), new Float64Array(rows).fill(tt), d, s));
        const x0Hat = Float64Array.from(x0, (v, i) => v + 0.01 * Math.sin(i + 1)); // a wrong denoiser
        let x0Err = 0;
        for (let i = 0; i < x0.length; i++) x0Err += (x0Hat[i] - x0[i]) ** 2;
        const snr = s.alpha(tt) ** 2 / s.sigma(tt) ** 2;
        for (const param of PARAMETERISATIONS) {
          const hat = convertPrediction(x0Hat, 'x0', param, x, tt, s);
          const truth = convertPrediction(Float64Array.from(x0), 'x0', param, x, tt, s);
          let err = 0;
          for (let i = 0; i < x0.length; i++) err += (hat[i] - truth[i]) ** 2;
          const w = lossWeight('min-snr-5', param, tt, s);
          expect(w * err / (Math.min(snr, 5) * x0Err), `${spec.name} ${param} t=${tt}`).toBeCloseTo(1, 6);
        }
      }
    }
  });

  it('min-snr-5 has finite limits where alpha = 0 or sigma = 0', () => {
    const lin = createSchedule({ name: 'linear' });
    expect(lossWeight('min-snr-5', 'eps', 1, lin)).toBe(1);
    expect(lossWeight('min-snr-5', 'x0', 0, lin)).toBe(5);
    expect(lossWeight('min-snr-5', 'velocity', 1, lin)).toBe(0);
    const ws = lossWeights('min-snr-5', 'v', Float32Array.from([0, 0.5, 1]), lin);
    for (const w of ws) expect(Number.isFinite(w)).toBe(true);
  });

  it('rejects an unknown weighting', () => {
    const s = createSchedule({ name: 'linear' });
    expect(() => lossWeight('p2' as 'none', 'eps', 0.5, s)).toThrow(/unknown loss weighting 'p2'/);
  });
});
