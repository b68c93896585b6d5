// Conversions between every pair of parameterisations against the formulas of MATH.md §2, built here from x0 and eps.
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../batch';
import { StudioError } from '../errors';
import { PARAMETERISATIONS, type Parameterisation } from '../model';
import { Rng } from '../rng';
import { createSchedule, type Schedule } from '../schedules/index';
import { convertPrediction, toX0Eps } from './index';

const N = 24;
const rng = new Rng(11);
const x0 = rng.fillNormal(new Float64Array(N));
const eps = rng.fillNormal(new Float64Array(N));

/** Every quantity at t from x0 and eps, by the definitions. */
function quantities(s: Schedule, t: number): { x: Float64Array } & Record<Parameterisation, Float64Array> {
  const a = s.alpha(t);
  const sig = s.sigma(t);
  const da = s.dAlpha(t);
  const ds = s.dSigma(t);
  const map = (fn: (i: number) => number): Float64Array => Float64Array.from({ length: N }, (_, i) => fn(i));
  return {
    x: map((i) => a * x0[i] + sig * eps[i]),
    eps: map((i) => eps[i]),
    x0: map((i) => x0[i]),
    score: map((i) => -eps[i] / sig),
    v: map((i) => a * eps[i] - sig * x0[i]),
    velocity: map((i) => da * x0[i] + ds * eps[i]),
  };
}

function maxRelErr(got: FloatArray, want: FloatArray): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    err = Math.max(err, Math.abs(got[i] - want[i]));
  }
  return err / Math.max(scale, 1e-300);
}

const specs = [
  { name: 'vp-linear' },
  { name: 'vp-cosine' },
  { name: 'sub-vp' },
  { name: 've' },
  { name: 'linear' },
  { name: 'linear', sigmaMin: 0.02 },
  { name: 'ddpm' },
  { name: 'custom', type: 'vp', points: [{ t: 0, logSnr: 8 }, { t: 0.5, logSnr: 0.5 }, { t: 1, logSnr: -9 }] },
];
const times = [0.02, 0.25, 0.5, 0.8, 0.97];

describe.each(specs)('conversions on %j', (spec) => {
  const s = createSchedule(spec);

  it('every pair matches the formulas (float64), and round trips return the input', () => {
    for (const t of times) {
      const q = quantities(s, t);
      for (const from of PARAMETERISATIONS) {
        for (const to of PARAMETERISATIONS) {
          const got = convertPrediction(q[from], from, to, q.x, t, s);
          expect(got).toBeInstanceOf(Float64Array);
          expect(maxRelErr(got, q[to]), `${from} -> ${to} at t=${t}`).toBeLessThan(1e-9);
          const back = convertPrediction(got, to, from, q.x, t, s);
          expect(maxRelErr(back, q[from]), `${from} -> ${to} -> ${from} at t=${t}`).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('float32 buffers give float32 results to float precision', () => {
    const t = 0.4;
    const q = quantities(s, t);
    const x32 = Float32Array.from(q.x);
    for (const from of PARAMETERISATIONS) {
      for (const to of PARAMETERISATIONS) {
        const got = convertPrediction(Float32Array.from(q[from]), from, to, x32, t, s);
        expect(got).toBeInstanceOf(Float32Array);
        // inputs are rounded to float32, so a few float32 ulps of the largest entry
        expect(maxRelErr(got, q[to]), `${from} -> ${to}`).toBeLessThan(1e-5);
      }
    }
  });

  it('toX0Eps recovers x0 and eps from each parameterisation', () => {
    const q = quantities(s, 0.6);
    for (const from of PARAMETERISATIONS) {
      const r = toX0Eps(q[from], from, q.x, 0.6, s);
      expect(maxRelErr(r.x0, x0)).toBeLessThan(1e-9);
      expect(maxRelErr(r.eps, eps)).toBeLessThan(1e-9);
    }
  });
});

describe('conversions at the edges', () => {
  it('score = -eps/sigma', () => {
    const s = createSchedule({ name: 'vp-linear' });
    const x = new Float64Array(N);
    const score = convertPrediction(eps, 'eps', 'score', x, 0.3, s);
    const sigma = Math.sqrt(1 - Math.exp(-(0.1 * 0.3 + (19.9 * 0.09) / 2)));
    for (let i = 0; i < N; i++) expect(score[i]).toBeCloseTo(-eps[i] / sigma, 12);
  });

  it('on VP paths v gives x0 = alpha x - sigma v and eps = sigma x + alpha v', () => {
    const s = createSchedule({ name: 'vp-cosine' });
    const q = quantities(s, 0.45);
    const a = s.alpha(0.45);
    const sig = s.sigma(0.45);
    const r = toX0Eps(q.v, 'v', q.x, 0.45, s);
    for (let i = 0; i < N; i++) {
      expect(r.x0[i]).toBeCloseTo(a * q.x[i] - sig * q.v[i], 12);
      expect(r.eps[i]).toBeCloseTo(sig * q.x[i] + a * q.v[i], 12);
    }
  });

  it('linear at t = 1 (alpha = 0): velocity and v recover everything; eps and score cannot give x0', () => {
    const s = createSchedule({ name: 'linear' });
    const q = quantities(s, 1);
    for (const from of ['velocity', 'v', 'x0'] as const) {
      for (const to of PARAMETERISATIONS) {
        expect(maxRelErr(convertPrediction(q[from], from, to, q.x, 1, s), q[to]), `${from} -> ${to}`).toBeLessThan(1e-12);
      }
    }
    expect(maxRelErr(convertPrediction(q.velocity, 'velocity', 'velocity', q.x, 1, s), q.velocity)).toBe(0);
    // velocity on linear is eps - x0
    for (let i = 0; i < N; i++) expect(q.velocity[i]).toBeCloseTo(eps[i] - x0[i], 14);
    expect(maxRelErr(convertPrediction(q.eps, 'eps', 'score', q.x, 1, s), q.score)).toBeLessThan(1e-12);
    for (const from of ['eps', 'score'] as const) {
      expect(() => convertPrediction(q[from], from, 'x0', q.x, 1, s)).toThrow(/alpha = 0/);
    }
  });

  it('linear at t = 0 with sigmaMin = 0: x0 passes through, score is refused', () => {
    const s = createSchedule({ name: 'linear' });
    const q = quantities(s, 0);
    expect(maxRelErr(convertPrediction(q.velocity, 'velocity', 'x0', q.x, 0, s), x0)).toBeLessThan(1e-12);
    expect(() => convertPrediction(q.x0, 'x0', 'score', q.x, 0, s)).toThrow(StudioError);
  });

  it('bad input throws a StudioError naming the problem', () => {
    const s = createSchedule({ name: 've' });
    const x = new Float32Array(4);
    const codeOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return e instanceof StudioError ? `${e.code}: ${e.message}` : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => convertPrediction(new Float32Array(3), 'eps', 'x0', x, 0.5, s))).toMatch(/^invalid-shape: .*3 numbers.*4/);
    expect(codeOf(() => convertPrediction(x, 'noise' as Parameterisation, 'x0', x, 0.5, s))).toMatch(/^unknown-name: .*'noise'/);
    expect(codeOf(() => convertPrediction(x, 'eps', 'flow' as Parameterisation, x, 0.5, s))).toMatch(/^unknown-name: .*'flow'/);
    expect(codeOf(() => convertPrediction(x, 'eps', 'x0', x, NaN, s))).toMatch(/^not-finite: t /);
    expect(codeOf(() => toX0Eps(x, 'eps', x, Infinity, s))).toMatch(/^not-finite/);
  });
});
