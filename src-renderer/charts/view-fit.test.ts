// Tests of when a live chart moves its axes.
import { describe, expect, it } from 'vitest';
import { neededView, needsRefit } from './view-fit';

/** n points evenly on the segment from a to b. */
function segment(n: number, a: [number, number], b: [number, number]): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) out.set([a[0] + ((b[0] - a[0]) * i) / (n - 1), a[1] + ((b[1] - a[1]) * i) / (n - 1)], 2 * i);
  return out;
}

describe('view fit', () => {
  it('keeps the data and the samples in view, not a straggler ten units out', () => {
    const moons = segment(2000, [-1, -0.5], [2, 1]);
    const samples = segment(500, [-0.5, 0], [1.5, 0.5]);
    samples.set([10, -10], 0);
    const want = neededView(moons, samples, new Float32Array(0));
    expect(want?.xMin).toBeCloseTo(-1, 1);
    expect(want?.xMax).toBeCloseTo(2, 1);
    expect(want?.yMin).toBeCloseTo(-0.5, 1);
    expect(neededView(new Float32Array(0))).toBeNull();
  });

  it('moves when what is needed sticks out or has shrunk well under half, and holds still otherwise', () => {
    const view = { xMin: -2, xMax: 2, yMin: -2, yMax: 2 };
    expect(needsRefit(null, view)).toBe(true);
    expect(needsRefit(view, { xMin: -1.5, xMax: 1.8, yMin: -1, yMax: 1.5 })).toBe(false);
    expect(needsRefit(view, { xMin: -1, xMax: 2.5, yMin: -1, yMax: 1 })).toBe(true);
    // early samples spread over [-10, 10], the model then draws the moons: the view closes in
    expect(needsRefit({ xMin: -10, xMax: 10, yMin: -10, yMax: 10 }, { xMin: -1, xMax: 2, yMin: -0.5, yMax: 1 })).toBe(true);
  });
});
