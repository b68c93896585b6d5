// Tests of the schedule helpers: sampled curves, monotone moves, inserted points, points taken from a preset.
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../../src-core/schedules';
import { insertPoint, LOG_SNR_LIMIT, movePoint, noised, pairs, pointsFromSchedule, removePoint, sampleCurves } from './schedule-curves';

const PTS = [
  { t: 0, logSnr: 8 },
  { t: 0.5, logSnr: 0 },
  { t: 1, logSnr: -8 },
];

describe('schedule curves', () => {
  it('samples alpha, sigma, log-SNR and g^2; infinite values become NaN and drop out of chart pairs', () => {
    const c = sampleCurves(createSchedule({ name: 'linear' }), 11);
    expect(c.alpha[5]).toBeCloseTo(0.5, 12);
    expect(c.sigma[5]).toBeCloseTo(0.5, 12);
    expect(c.logSnr[5]).toBeCloseTo(0, 12);
    expect(Number.isNaN(c.logSnr[0])).toBe(true);
    expect(Number.isNaN(c.g2[10])).toBe(true);
    expect(pairs(c.t, c.logSnr)).toHaveLength(9);
    expect(pairs(c.t, c.g2, true).every(([, y]) => y > 0)).toBe(true);
  });

  it('movePoint clamps t between the neighbours and log-SNR strictly between them', () => {
    const up = movePoint(PTS, 1, 0.9999, 50);
    expect(up[1].t).toBeLessThan(1);
    expect(up[1].logSnr).toBeLessThan(8);
    const down = movePoint(PTS, 1, -3, -50);
    expect(down[1].t).toBeGreaterThan(0);
    expect(down[1].logSnr).toBeGreaterThan(-8);
    expect(movePoint(PTS, 2, 0.3, -100)[2]).toEqual({ t: 1, logSnr: -LOG_SNR_LIMIT });
    expect(() => createSchedule({ name: 'custom', points: up })).not.toThrow();
  });

  it('inserts a point between two and refuses one outside; removes only interior points', () => {
    expect(insertPoint(PTS, 0.25, 3)?.map((p) => p.t)).toEqual([0, 0.25, 0.5, 1]);
    expect(insertPoint(PTS, 1.5, 0)).toBeNull();
    expect(removePoint(PTS, 1)).toHaveLength(2);
    expect(removePoint(PTS, 0)).toBeNull();
  });

  it('points from a preset follow its log-SNR, held inside the limits and strictly decreasing', () => {
    for (const name of ['linear', 'vp-linear', 'vp-cosine', 'sub-vp', 've', 'ddpm']) {
      const s = createSchedule({ name });
      const pts = pointsFromSchedule(s);
      expect(() => createSchedule({ name: 'custom', points: pts })).not.toThrow();
      expect(pts[2].logSnr).toBeCloseTo(Math.max(-LOG_SNR_LIMIT, Math.min(LOG_SNR_LIMIT, s.logSnr(0.4))), 3);
    }
  });

  it('noises every row with the same eps: x_t = alpha x0 + sigma eps', () => {
    const s = createSchedule({ name: 'linear' });
    const x = noised(s, 0.25, new Float32Array([1, 2, 3, 4]), new Float32Array([4, 4, 0, 0]));
    expect(Array.from(x)).toEqual([1.75, 2.5, 2.25, 3]);
  });
});
