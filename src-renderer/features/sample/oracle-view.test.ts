// Tests of the pictures beneath the panels: the density grid and the drift segments of the ODE and the SDE, checked against the sampler's own step.
import { describe, expect, it } from 'vitest';
import { batch } from '../../../src-core/batch';
import { createOracle } from '../../../src-core/oracle';
import { sample } from '../../../src-core/sampling';
import { createSchedule } from '../../../src-core/schedules';
import { pointsChecksum } from './checksum';
import { densityGrid, driftSegments } from './oracle-view';

const ONE = { weights: [1], means: [[1, 0]], covariances: [[[0.25, 0], [0, 0.25]]] };
const EXTENT = { xMin: -2, xMax: 2, yMin: -2, yMax: 2 };

describe('oracle view', () => {
  it('the density peaks (at 1) where the marginal mean alpha_t mu is, row 0 at the top', () => {
    const oracle = createOracle({ ...ONE, means: [[1, 1]] }, createSchedule({ name: 'linear' }));
    const g = densityGrid(oracle, 0.5, EXTENT, 9, 9);
    const best = g.values.indexOf(Math.max(...g.values));
    expect(Math.max(...g.values)).toBe(1);
    // alpha = 0.5: the mean sits at (0.5, 0.5), nearest the centre (0.44, 0.44): column 5, row 3 from the top
    expect(best % 9).toBe(5);
    expect(Math.floor(best / 9)).toBe(3);
  });

  it('segments point against the drift; gamma adds the score term and changes them', () => {
    const oracle = createOracle(ONE, createSchedule({ name: 'vp-linear' }));
    const ode = driftSegments(oracle, 0.5, 0, EXTENT, 5);
    const sde = driftSegments(oracle, 0.5, 1, EXTENT, 5);
    expect(ode).toHaveLength(25);
    const longest = Math.max(...ode.map(([x0, y0, x1, y1]) => Math.hypot(x1 - x0, y1 - y0)));
    expect(longest).toBeCloseTo(0.9 * 0.8, 6);
    expect(sde.some((s, i) => Math.abs(s[2] - ode[i][2]) > 1e-3)).toBe(true);
  });

  it('the checksum tells equal clouds from different ones', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    expect(pointsChecksum(a)).toBe(pointsChecksum(Float32Array.from(a)));
    expect(pointsChecksum(a)).not.toBe(pointsChecksum(Float32Array.from([1, 2, 3, 4.0001])));
    expect(pointsChecksum(new Float32Array([0, 1, 2, 3, 4]).subarray(1))).toBe(pointsChecksum(a));
  });
});

describe('the drift field against the sampler', () => {
  it("each arrow points where one noise-free step of the core's Euler–Maruyama moves the particle, for the ODE and the SDE", async () => {
    for (const [name, gamma] of [['vp-linear', 0], ['vp-linear', 1], ['linear', 0.7]] as const) {
      const oracle = createOracle({ weights: [1, 2], means: [[1, 0], [-1, 1]], covariances: [[[0.25, 0.1], [0.1, 0.3]], [[0.4, 0], [0, 0.2]]] }, createSchedule({ name }));
      const t = 0.6;
      const segs = driftSegments(oracle, t, gamma, EXTENT, 4);
      const x = Float64Array.from(segs.flatMap(([x0, y0]) => [x0, y0]));
      // one step of h with zero noise: x_{t-h} - x_t = -h drift
      const h = 1e-3;
      const r = await sample('euler-maruyama', oracle, batch(x, [segs.length, 2]), { grid: Float64Array.of(t, t - h), gamma, noise: [new Float64Array(x.length)] });
      segs.forEach(([x0, y0, x1, y1], i) => {
        const step = [r.x.data[2 * i] - x0, r.x.data[2 * i + 1] - y0];
        const arrow = [x1 - x0, y1 - y0];
        // parallel and in the same direction: the 2-D cross product vanishes and the dot product is positive
        const cross = step[0] * arrow[1] - step[1] * arrow[0];
        expect(Math.abs(cross), `${name} gamma ${gamma} row ${i}`).toBeLessThan(1e-9 * Math.hypot(...step) * Math.hypot(...arrow) + 1e-15);
        expect(step[0] * arrow[0] + step[1] * arrow[1]).toBeGreaterThan(0);
      });
    }
  });
});
