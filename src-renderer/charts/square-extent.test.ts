// Tests of the equal-aspect axis ranges.
import { describe, expect, it } from 'vitest';
import { boundsOf, squareExtent } from './square-extent';

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
});
