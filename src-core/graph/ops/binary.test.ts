// Binary rows and broadcasting: hand-computed values and symbolic shape inference.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { broadcastShapes } from '../broadcast';
import { floatTensor } from '../tensor';
import { inferOp, runOp, runOpValues, valuesOf } from './op-test-kit';

const a = floatTensor([1, 2, 3, 4, 5, 6], [2, 3]);

describe('binary ops', () => {
  it('same shapes', () => {
    const b = floatTensor([6, 5, 4, 3, 2, 1], [2, 3]);
    expect(runOpValues('Add', [a, b])).toEqual([7, 7, 7, 7, 7, 7]);
    expect(runOpValues('Sub', [a, b])).toEqual([-5, -3, -1, 1, 3, 5]);
    expect(runOpValues('Mul', [a, b])).toEqual([6, 10, 12, 12, 10, 6]);
    expect(runOpValues('Div', [a, floatTensor([2, 2, 2, 4, 4, 4], [2, 3])])).toEqual([0.5, 1, 1.5, 1, 1.25, 1.5]);
    expect(runOpValues('Pow', [a, floatTensor([2, 2, 2, 0.5, 1, 0], [2, 3])])).toEqual([1, 4, 9, 2, 5, 1]);
  });
  it('broadcasts a row, a column and a scalar', () => {
    expect(runOpValues('Add', [a, floatTensor([10, 20, 30], [3])])).toEqual([11, 22, 33, 14, 25, 36]);
    const col = runOp('Mul', [a, floatTensor([1, -1], [2, 1])]);
    expect(col.shape).toEqual([2, 3]);
    expect(valuesOf(col)).toEqual([1, 2, 3, -4, -5, -6]);
    expect(runOpValues('Sub', [floatTensor([1], []), a])).toEqual([0, -1, -2, -3, -4, -5]);
    const outer = runOp('Mul', [floatTensor([1, 2], [2, 1]), floatTensor([1, 10, 100], [1, 3])]);
    expect(outer.shape).toEqual([2, 3]);
    expect(valuesOf(outer)).toEqual([1, 10, 100, 2, 20, 200]);
  });
  it('infers symbolic broadcast shapes', () => {
    expect(broadcastShapes(['N', 1], [1, 8])).toEqual(['N', 8]);
    expect(broadcastShapes(['N', 8], [8])).toEqual(['N', 8]);
    expect(inferOp('Add', [{ dtype: 'float32', shape: ['N', 4] }, { dtype: 'float32', shape: [4] }]).shape).toEqual(['N', 4]);
    expect(() => broadcastShapes(['N', 3], [4])).toThrow(StudioError);
    expect(() => broadcastShapes(['N'], ['M'])).toThrow(/do not broadcast/);
  });
});
