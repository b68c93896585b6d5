// Tests of putting an adaptive solver's recorded steps on another panel's grid.
import { describe, expect, it } from 'vitest';
import { heldIndices, takeSteps } from './step-align';

describe('step alignment', () => {
  it('holds at each grid time the last state reached at or before it (times run down)', () => {
    const recorded = Float64Array.from([1, 0.7, 0.3, 0]);
    const grid = Float64Array.from([1, 0.75, 0.5, 0.25, 0]);
    expect([...heldIndices(recorded, grid)]).toEqual([0, 0, 1, 2, 3]);
    // an accepted step on a grid time (up to rounding) counts as there
    expect([...heldIndices(Float64Array.from([1, 0.5 + 1e-12, 0]), Float64Array.from([1, 0.5, 0]))]).toEqual([0, 1, 2]);
    // more recorded steps than grid times: the latest at or above each
    expect([...heldIndices(Float64Array.from([1, 0.9, 0.6, 0.4, 0.1, 0]), Float64Array.from([1, 0.5, 0]))]).toEqual([0, 2, 5]);
  });

  it('takes one block of values per grid time', () => {
    const x = Float32Array.from([0, 0, 1, 1, 2, 2]);
    expect([...takeSteps(x, 2, Int32Array.from([0, 0, 2, 1]))]).toEqual([0, 0, 0, 0, 2, 2, 1, 1]);
  });
});
