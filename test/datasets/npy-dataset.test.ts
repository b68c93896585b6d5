// .npy files as data sets: dtype conversion to float32, shape mapping, and messages naming dtype and shape.
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../src-core/io/npy';
import { parseNpyDataset } from '../../src-core/io/npy-dataset';
import { parseDataFile } from '../../src-core/io/data-file';
import { failure } from './fixtures';

describe('parseNpyDataset', () => {
  it('converts float64, int32 and int64 to float32 and keeps [n, d]', () => {
    const f64 = parseNpyDataset(writeNpy({ dtype: 'float64', shape: [2, 2], data: Float64Array.from([0.1, 2, 3, 4]) }));
    expect(f64.shape).toEqual([2, 2]);
    expect(f64.data[0]).toBe(Math.fround(0.1));
    expect(f64.notes).toContain('float64 values converted to float32');
    expect(Array.from(parseNpyDataset(writeNpy({ dtype: 'int32', shape: [3], data: Int32Array.from([1, -2, 3]) })).data)).toEqual([1, -2, 3]);
    const i64 = parseNpyDataset(writeNpy({ dtype: 'int64', shape: [1, 2], data: BigInt64Array.from([5n, -6n]) }));
    expect(Array.from(i64.data)).toEqual([5, -6]);
  });

  it('maps [n] to [n, 1] and [n, H, W] to [n, 1, H, W]; keeps [n, C, H, W]', () => {
    expect(parseNpyDataset(writeNpy({ dtype: 'float32', shape: [3], data: new Float32Array(3) })).shape).toEqual([3, 1]);
    expect(parseNpyDataset(writeNpy({ dtype: 'float32', shape: [2, 4, 5], data: new Float32Array(40) })).shape).toEqual([2, 1, 4, 5]);
    expect(parseNpyDataset(writeNpy({ dtype: 'float32', shape: [2, 3, 4, 4], data: new Float32Array(96) })).shape).toEqual([2, 3, 4, 4]);
  });

  it('names the file, the shape and the dtype of what it refuses', () => {
    const npy = (shape: number[]) => writeNpy({ dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    expect(failure(() => parseDataFile('x.npy', npy([2, 2, 2, 2, 2]))).message).toBe('x.npy: shape (2, 2, 2, 2, 2) has 5 axes; expected (n, d), (n, H, W) or (n, C, H, W)');
    expect(failure(() => parseDataFile('x.npy', npy([2, 28, 28, 3]))).message).toMatch(/^x\.npy: shape \(2, 28, 28, 3\) has 28 channels; .* it looks channel-last/);
    expect(failure(() => parseDataFile('x.npy', npy([0, 2]))).message).toBe('x.npy: shape (0, 2) has an empty axis; every axis needs at least 1 entry');
    expect(failure(() => parseDataFile('x.npy', npy([]))).message).toBe('x.npy: the array is a single number (shape ()); a data set needs one row per item');
    const nan = writeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, 2, 3, NaN]) });
    expect(failure(() => parseDataFile('x.npy', nan)).message).toBe('x.npy: row 1, value 1 is NaN; every value must be a finite float32 number');
    const huge = writeNpy({ dtype: 'float64', shape: [1, 1], data: Float64Array.from([1e300]) });
    expect(failure(() => parseDataFile('h.npy', huge)).message).toBe('h.npy: row 0, value 0 is Infinity; every value must be a finite float32 number');
    // the same header with a boolean dtype ('<f4' and '|b1' have the same length)
    const padded = npy([2, 1]);
    const at = new TextDecoder('latin1').decode(padded).indexOf("'<f4'");
    padded.set(new TextEncoder().encode("'|b1'"), at);
    expect(failure(() => parseDataFile('b.npy', padded)).message).toBe("b.npy: not a usable .npy file: dtype '|b1' is not supported; use float32, float64, int64 or int32");
  });
});
