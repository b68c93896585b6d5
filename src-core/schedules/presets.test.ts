// Every preset against its defining math: derivatives by central differences, f and g^2 by their definitions, monotone log-SNR.
import { describe, expect, it } from 'vitest';
import { COSINE_T_CLIP, createSchedule, type Schedule } from './index';

const H = 1e-6;
const centralDiff = (fn: (t: number) => number, t: number, h = H): number => (fn(t + h) - fn(t - h)) / (2 * h);

/** Interior grid that keeps clear of the ends and of known kinks. */
function grid(n: number, lo = 0.01, hi = 0.99): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

const ddpmMidpoints = Array.from({ length: 40 }, (_, k) => (Math.round(5 + k * 24.6) + 0.5) / 1000);
const customVp = { name: 'custom', type: 'vp', points: [{ t: 0, logSnr: 9 }, { t: 0.3, logSnr: 2 }, { t: 0.55, logSnr: 1.5 }, { t: 1, logSnr: -12 }] };
const customVe = { name: 'custom', type: 've', points: [{ t: 0, logSnr: 8 }, { t: 0.5, logSnr: -2 }, { t: 1, logSnr: -9 }] };

const cases: { label: string; spec: object; ts: number[]; vp?: boolean }[] = [
  { label: 'vp-linear', spec: { name: 'vp-linear' }, ts: grid(41), vp: true },
  { label: 'vp-cosine', spec: { name: 'vp-cosine' }, ts: [...grid(41, 0.01, 0.995), 0.9995], vp: true },
  { label: 'sub-vp', spec: { name: 'sub-vp' }, ts: grid(41) },
  { label: 've', spec: { name: 've' }, ts: grid(41) },
  { label: 'linear', spec: { name: 'linear' }, ts: grid(41) },
  { label: 'linear sigmaMin', spec: { name: 'linear', sigmaMin: 0.05 }, ts: grid(41) },
  { label: 'ddpm', spec: { name: 'ddpm' }, ts: ddpmMidpoints, vp: true },
  { label: 'custom vp', spec: customVp, ts: grid(41), vp: true },
  { label: 'custom ve', spec: customVe, ts: grid(41) },
];

const close = (a: number, b: number, rel: number, abs = 1e-12): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe.each(cases)('$label', ({ spec, ts, vp }) => {
  const s: Schedule = createSchedule(spec);

  it('dAlpha and dSigma match central differences of alpha and sigma', () => {
    for (const t of ts) {
      expect(close(s.dAlpha(t), centralDiff(s.alpha, t), 1e-5, 1e-9), `dAlpha at t=${t}`).toBe(true);
      expect(close(s.dSigma(t), centralDiff(s.sigma, t), 1e-5, 1e-9), `dSigma at t=${t}`).toBe(true);
    }
  });

  it('alpha, sigma > 0 inside (0, 1); logSnr = log(alpha^2/sigma^2), strictly decreasing', () => {
    const dense = [Math.max(s.tMin, 1e-4), ...grid(400, 0.002, 0.998), 0.9999];
    let prev = Infinity;
    for (const t of dense) {
      expect(s.alpha(t)).toBeGreaterThan(0);
      expect(s.sigma(t)).toBeGreaterThan(0);
      const lambda = s.logSnr(t);
      expect(close(lambda, Math.log(s.alpha(t) ** 2 / s.sigma(t) ** 2), 1e-9, 1e-9), `logSnr at t=${t}`).toBe(true);
      expect(lambda, `logSnr at t=${t}`).toBeLessThan(prev);
      prev = lambda;
    }
  });

  it('f = alpha\'/alpha and g^2 = 2 sigma sigma\' - 2 f sigma^2 >= 0 (finite differences)', () => {
    for (const t of ts) {
      const a = s.alpha(t);
      const sig = s.sigma(t);
      const f = centralDiff(s.alpha, t) / a;
      const g2 = 2 * sig * centralDiff(s.sigma, t) - 2 * f * sig * sig;
      expect(close(s.f(t), f, 1e-5, 1e-9), `f at t=${t}`).toBe(true);
      expect(close(s.g2(t), g2, 1e-5, 1e-9), `g2 at t=${t}`).toBe(true);
      expect(s.g2(t)).toBeGreaterThanOrEqual(0);
    }
  });

  // Only VP-type presets promise this; registering the test for them alone keeps skipped tests out of the report.
  if (vp) {
    it('is variance preserving: alpha^2 + sigma^2 = 1', () => {
      for (const t of grid(101, 0, 1)) expect(s.alpha(t) ** 2 + s.sigma(t) ** 2).toBeCloseTo(1, 12);
    });
  }
});

describe('closed forms of the presets', () => {
  it('vp-linear: f = -beta/2, g^2 = beta, abar = exp(-(bmin t + (bmax - bmin) t^2/2))', () => {
    const s = createSchedule({ name: 'vp-linear', betaMin: 0.3, betaMax: 12 });
    for (const t of grid(21, 0, 1)) {
      const beta = 0.3 + (12 - 0.3) * t;
      expect(s.f(t)).toBeCloseTo(-beta / 2, 12);
      expect(s.g2(t)).toBeCloseTo(beta, 12);
      expect(s.alpha(t)).toBeCloseTo(Math.sqrt(Math.exp(-(0.3 * t + (11.7 * t * t) / 2))), 14);
    }
  });

  it('sub-vp: sigma = 1 - abar, g^2 = beta (1 - abar^2)', () => {
    const s = createSchedule({ name: 'sub-vp' });
    for (const t of grid(21)) {
      const abar = Math.exp(-(0.1 * t + (19.9 * t * t) / 2));
      const beta = 0.1 + 19.9 * t;
      expect(s.sigma(t)).toBeCloseTo(1 - abar, 14);
      expect(close(s.g2(t), beta * (1 - abar * abar), 1e-12)).toBe(true);
    }
  });

  it('ve: alpha = 1, f = 0, g^2 = d(sigma^2)/dt', () => {
    const s = createSchedule({ name: 've', sigmaMin: 0.02, sigmaMax: 30 });
    for (const t of grid(21)) {
      expect(s.alpha(t)).toBe(1);
      expect(s.f(t)).toBe(0);
      expect(close(s.sigma(t), 0.02 * (30 / 0.02) ** t, 1e-12)).toBe(true);
      expect(close(s.g2(t), centralDiff((u) => s.sigma(u) ** 2, t), 1e-6)).toBe(true);
    }
  });

  it('linear: alpha = 1 - t, sigma = sigmaMin + (1 - sigmaMin) t, f = -1/(1 - t), tMin = 0', () => {
    const s = createSchedule({ name: 'linear', sigmaMin: 0.1 });
    expect(s.tMin).toBe(0);
    for (const t of grid(21)) {
      expect(s.alpha(t)).toBeCloseTo(1 - t, 15);
      expect(s.sigma(t)).toBeCloseTo(0.1 + 0.9 * t, 15);
      expect(s.f(t)).toBeCloseTo(-1 / (1 - t), 10);
    }
    expect(s.alpha(1)).toBe(0);
    expect(s.dAlpha(1) * s.sigma(1)).not.toBe(0); // D = alpha sigma' - alpha' sigma stays positive at t = 1
  });

  it('vp-cosine: abar = c(t)/c(0) up to the clip, alpha > 0 and finite derivatives at t = 1', () => {
    const s = createSchedule({ name: 'vp-cosine' });
    const c = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const t of [...grid(21), COSINE_T_CLIP]) expect(close(s.alpha(t) ** 2, c(t) / c(0), 1e-10)).toBe(true);
    expect(s.alpha(1)).toBeGreaterThan(0);
    for (const fn of [s.dAlpha, s.dSigma, s.f, s.g2, s.logSnr]) expect(Number.isFinite(fn(1))).toBe(true);
    // continuous beta across the clip
    expect(close(s.g2(COSINE_T_CLIP - 1e-9), s.g2(COSINE_T_CLIP + 1e-9), 1e-5)).toBe(true);
  });

  it('VP and VE tMin is 1e-3', () => {
    for (const name of ['vp-linear', 'vp-cosine', 'sub-vp', 've', 'ddpm']) expect(createSchedule({ name }).tMin).toBeCloseTo(1e-3, 15);
  });
});
