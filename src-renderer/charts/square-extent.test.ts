// Tests of the equal-aspect axis ranges.
import { describe, expect, it } from 'vitest';
import { boundsOf, fitExtent, robustBounds, squareExtent, unionOf } from './square-extent';

describe('squareExtent', () => {
  it('finds the bounding box of flat [x, y] pairs', () => {
    expect(boundsOf(new Float32Array([0, 1, -2, 3, 4, -5]))).toEqual({ xMin: -2, xMax: 4, yMin: -5, yMax: 3 });
    expect(boundsOf(new Float32Array(0))).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  });

  it('gives both axes the same data units per pixel and contains the data', () => {
    const bounds = { xMin: -1, xMax: 3, yMin: 0, yMax: 1 };
    for (const [w, h] of [[800, 400], [300, 600], [500, 500]]) {
      const e = squareExtent(bounds, w, h);
      expect((e.xMax - e.xMin) / w).toBeCloseTo((e.yMax - e.yMin) / h, 12);
      expect(e.xMin).toBeLessThanOrEqual(-1);
      expect(e.xMax).toBeGreaterThanOrEqual(3);
      expect(e.yMin).toBeLessThanOrEqual(0);
      expect(e.yMax).toBeGreaterThanOrEqual(1);
      expect((e.xMin + e.xMax) / 2).toBeCloseTo(1, 12);
    }
  });

  it('leaves out the farthest stragglers, not the bulk, and joins boxes', () => {
    // 1,000 points on the unit square's diagonal and two far strays
    const pts = new Float32Array(2 * 1002);
    for (let i = 0; i < 1000; i++) pts.set([i / 999, i / 999], 2 * i);
    pts.set([1000, -1000, -500, 800], 2000);
    const b = robustBounds(pts);
    expect(b.xMin).toBeCloseTo(0, 2);
    expect(b.xMax).toBeLessThan(1.01);
    expect(b.yMin).toBeGreaterThan(-0.01);
    expect(b.yMax).toBeCloseTo(1, 2);
    expect(boundsOf(pts).xMax).toBe(1000);
    expect(robustBounds(new Float32Array([0, 0, 2, 3]), 0)).toEqual({ xMin: 0, xMax: 2, yMin: 0, yMax: 3 });
    expect(unionOf({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, { xMin: -1, xMax: 0.5, yMin: 0.5, yMax: 2 })).toEqual({ xMin: -1, xMax: 1, yMin: 0, yMax: 2 });
  });

  it('lets a narrow box stretch one axis up to the limit, and no further', () => {
    // two moons' box (3 x 1.6) in a plot 90 px wide and 330 px tall
    const moons = { xMin: -1, xMax: 2, yMin: -0.6, yMax: 1 };
    const square = squareExtent(moons, 90, 330, 0);
    expect(square.yMax - square.yMin).toBeCloseTo((3 * 330) / 90, 9);
    const fit = fitExtent(moons, 90, 330, 0, 3);
    expect(fit.xMax - fit.xMin).toBeCloseTo(3, 9);
    // y shows 3 times more units per pixel than x: (3 / 90) / 3 per pixel over 330 px
    expect(fit.yMax - fit.yMin).toBeCloseTo(((3 / 90) / 3) * 330, 9);
    expect((fit.yMin + fit.yMax) / 2).toBeCloseTo(0.2, 9);
    // a box of the data's own shape needs no stretch
    expect(fitExtent(moons, 300, 160, 0, 3)).toEqual(squareExtent(moons, 300, 160, 0));
  });
});
