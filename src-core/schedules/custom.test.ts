// The custom preset and its PCHIP curve: monotone, exact at the points, analytic derivative, and a vp-linear look-alike.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { createSchedule, pchip } from './index';

function randomDecreasing(rng: Rng, n: number): { xs: number[]; ys: number[] } {
  const xs = [0];
  const ys = [rng.uniform() * 10];
  for (let i = 1; i < n; i++) {
    xs.push(xs[i - 1] + 0.01 + rng.uniform() * (rng.uniform() < 0.3 ? 2 : 0.2));
    // steps of very different sizes stress the monotonicity limiter
    ys.push(ys[i - 1] - (rng.uniform() < 0.5 ? 1e-3 : 5) * (0.05 + rng.uniform()));
  }
  return { xs, ys };
}

describe('pchip', () => {
  const rng = new Rng(7);
  const curves = Array.from({ length: 20 }, (_, k) => randomDecreasing(rng, 2 + (k % 9)));

  it('interpolates the points exactly', () => {
    for (const { xs, ys } of curves) {
      const p = pchip(xs, ys);
      xs.forEach((x, i) => expect(p.value(x)).toBeCloseTo(ys[i], 12));
    }
  });

  it('is strictly decreasing between the points on a dense grid, with negative slope', () => {
    for (const { xs, ys } of curves) {
      const p = pchip(xs, ys);
      const last = xs[xs.length - 1];
      let prev = Infinity;
      let bad = 0;
      for (let i = 0; i <= 4000; i++) {
        const x = (last * i) / 4000;
        const v = p.value(x);
        const ok = v < prev && v <= ys[0] + 1e-12 && v >= ys[ys.length - 1] - 1e-12 && p.derivative(x) < 0;
        if (!ok) bad++;
        prev = v;
      }
      expect(bad).toBe(0);
    }
  });

  it('derivative matches central differences', () => {
    for (const { xs, ys } of curves) {
      const p = pchip(xs, ys);
      const last = xs[xs.length - 1];
      for (let i = 1; i < 200; i++) {
        const x = (last * (i + 0.37)) / 200;
        const h = 1e-7 * Math.max(1, last);
        const fd = (p.value(x + h) - p.value(x - h)) / (2 * h);
        expect(Math.abs(fd - p.derivative(x))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('reproduces a straight line exactly', () => {
    const p = pchip([0, 0.2, 0.5, 1], [3, 2, 0.5, -2]);
    for (const x of [0.1, 0.33, 0.77]) {
      expect(p.value(x)).toBeCloseTo(3 - 5 * x, 12);
      expect(p.derivative(x)).toBeCloseTo(-5, 12);
    }
  });
});

describe('custom schedule', () => {
  it('VP type from vp-linear log-SNR samples reproduces vp-linear alpha and sigma', () => {
    const ref = createSchedule({ name: 'vp-linear' });
    // points denser near t = 0, where vp-linear's log-SNR bends sharply (it is -log t there)
    const ts = Array.from({ length: 41 }, (_, i) => (i / 40) ** 2);
    // vp-linear has logSnr(0) = +inf; the first point takes its value at t = 1e-4 instead.
    const points = ts.map((t) => ({ t, logSnr: ref.logSnr(Math.max(t, 1e-4)) }));
    const s = createSchedule({ name: 'custom', type: 'vp', points });
    for (const p of points) expect(s.logSnr(p.t)).toBeCloseTo(p.logSnr, 12);
    let worst = 0;
    for (let i = 0; i <= 500; i++) {
      const t = 0.01 + (0.99 * i) / 500;
      worst = Math.max(worst, Math.abs(s.alpha(t) - ref.alpha(t)), Math.abs(s.sigma(t) - ref.sigma(t)));
    }
    expect(worst).toBeLessThan(1e-4);
    expect(worst).toBeGreaterThan(0); // it interpolates, it does not copy
  });

  it('VE type: alpha = 1, sigma = exp(-lambda/2) at the points', () => {
    const points = [{ t: 0, logSnr: 9 }, { t: 0.4, logSnr: 0 }, { t: 1, logSnr: -8 }];
    const s = createSchedule({ name: 'custom', type: 've', points });
    for (const p of points) {
      expect(s.alpha(p.t)).toBe(1);
      expect(s.sigma(p.t)).toBeCloseTo(Math.exp(-p.logSnr / 2), 12);
    }
  });

  it('round-trips through JSON, type defaulting to vp', () => {
    const spec = { name: 'custom', points: [{ t: 0, logSnr: 5 }, { t: 0.7, logSnr: -1 }, { t: 1, logSnr: -6 }] };
    const s = createSchedule(spec);
    const json = JSON.parse(JSON.stringify(s.toJSON())) as unknown;
    expect(json).toEqual({ ...spec, type: 'vp' });
    const back = createSchedule(json);
    for (const t of [0.1, 0.5, 0.9]) expect(back.alpha(t)).toBe(s.alpha(t));
  });
});
