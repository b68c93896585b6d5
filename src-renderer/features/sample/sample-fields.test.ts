// Tests of the Sample inputs' checks and of the cost said before a run.
import { describe, expect, it } from 'vitest';
import { COSTLY, costWarning, fieldAccepts, readField, sampleCost } from './sample-fields';

describe('sample fields', () => {
  it('reads values in range and says what is wrong with the rest, in the field\u2019s words', () => {
    expect(readField('steps', ' 40 ')).toEqual({ value: 40 });
    expect(readField('guidance', '2.5')).toEqual({ value: 2.5 });
    expect(readField('steps', '')).toEqual({ problem: 'Steps needs a value from 1 to 500.' });
    expect(readField('steps', '2.5')).toEqual({ problem: 'Steps must be a whole number from 1 to 500; 2.5 is not.' });
    expect(readField('seed', '-1')).toEqual({ problem: 'Seed must be at least 0; -1 is below.' });
    expect(readField('images', '65')).toEqual({ problem: 'Images can be at most 64 (each image is kept at every step, with its predicted x0); 65 is above.' });
    expect(readField('guidance', 'abc')).toEqual({ problem: 'Guidance w must be a number from 0 to 20.' });
    expect(fieldAccepts('count', 10)).toBe(true);
    expect(fieldAccepts('count', 9)).toBe(false);
    expect(fieldAccepts('seed', 1.5)).toBe(false);
  });

  it('counts the work and the recorded bytes, and calls a run costly past the limits', () => {
    const small = sampleCost(2000, 40, 2, false, null);
    expect(small).toEqual({ particleSteps: 80_000, bytes: 2 * 41 * 2000 * 2 * 4, seconds: null });
    expect(costWarning(small, 'particles')).toBeNull();
    expect(costWarning(sampleCost(10_000, 500, 2, false, null), 'particles')).toMatch(/5,000,000 particles × steps a panel/);
    // measured: the estimate replaces the work count
    expect(costWarning(sampleCost(10_000, 500, 2, false, 1e-7), 'particles')).toBeNull();
    expect(costWarning(sampleCost(10_000, 500, 2, false, (2 * COSTLY.seconds) / 5_000_000), 'particles')).toMatch(/about 30 s/);
    // 64 digits over 500 steps with their x0: 2 x 501 x 64 x 784 x 4 x 2 bytes, 384 MB
    expect(costWarning(sampleCost(64, 500, 784, true, 1e-9), 'images')).toMatch(/384 MB of recorded steps/);
  });
});
