// The shared normalisation: statistics against hand-computed values, both directions, one-entry lists, and the schema's file form.
import { describe, expect, it } from 'vitest';
import { denormalise, normalisationSchema, normalise, standardisation } from './normalisation';

describe('standardisation', () => {
  it('takes each coordinate\'s mean and population standard deviation, a constant one kept at scale 1', () => {
    // rows (1, 10), (3, 10), (8, 10): mean 4, variance ((-3)^2 + (-1)^2 + 4^2) / 3 = 26 / 3
    const s = standardisation(new Float32Array([1, 10, 3, 10, 8, 10]), 2);
    expect(s.mean).toEqual([4, 10]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(26 / 3), 12);
    expect(s.scale[1]).toBe(1);
  });
});

describe('normalise and denormalise', () => {
  const norm = { mean: [4, -1], scale: [2, 0.5] };

  it('map rows to (x - mean) / scale and back', () => {
    const x = new Float32Array([6, -1, 0, 0]);
    const n = normalise(x, norm, 2);
    expect([...n]).toEqual([1, 0, -2, 2]);
    expect([...denormalise(n, norm, 2)]).toEqual([...x]);
  });

  it('apply a one-entry list to every coordinate, and leave data alone without a normalisation', () => {
    expect([...normalise(new Float32Array([3, 5, 7]), { mean: [1], scale: [2] }, 3)]).toEqual([1, 2, 3]);
    const y = new Float64Array([1.5, -2]);
    expect([...denormalise(y, null, 2)]).toEqual([1.5, -2]);
  });
});

describe('normalisationSchema', () => {
  it('reads the {"mean", "scale"} JSON exported models carry, and refuses a scale that is not positive or a missing list', () => {
    expect(normalisationSchema.parse(JSON.parse('{"mean":[0.5,-1],"scale":[2,3]}'))).toEqual({ mean: [0.5, -1], scale: [2, 3] });
    for (const bad of ['{"mean":[0],"scale":[0]}', '{"mean":[0],"scale":[-1]}', '{"mean":[],"scale":[1]}', '{"mean":[0]}', '{"mean":[0],"std":[1]}']) {
      expect(normalisationSchema.safeParse(JSON.parse(bad)).success, bad).toBe(false);
    }
  });
});
