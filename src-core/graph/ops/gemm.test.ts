// Gemm and MatMul rows: hand-computed products, transposes, bias broadcast, shape checks.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { float, int } from '../attrs';
import { floatTensor } from '../tensor';
import { inferOp, runOp, runOpValues, valuesOf } from './op-test-kit';

const a = floatTensor([1, 2, 3, 4, 5, 6], [2, 3]);
const b = floatTensor([1, 0, 0, 1, 1, 1], [3, 2]);

describe('Gemm', () => {
  it('A @ B + C with a row bias', () => {
    const y = runOp('Gemm', [a, b, floatTensor([10, 20], [2])]);
    expect(y.shape).toEqual([2, 2]);
    expect(valuesOf(y)).toEqual([14, 25, 20, 31]);
  });
  it('transA, transB, alpha, beta', () => {
    const at = floatTensor([1, 4, 2, 5, 3, 6], [3, 2]);
    const bt = floatTensor([1, 0, 1, 0, 1, 1], [2, 3]);
    const attrs = { transA: int(1), transB: int(1), alpha: float(2), beta: float(0.5) };
    expect(runOpValues('Gemm', [at, bt, floatTensor([2], [1])], attrs)).toEqual([9, 11, 21, 23]);
  });
  it('without C', () => {
    expect(runOpValues('Gemm', [a, b])).toEqual([4, 5, 10, 11]);
  });
  it('infers [N, M] and rejects mismatched inner dims', () => {
    const f = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });
    expect(inferOp('Gemm', [f(['N', 3]), f([3, 5]), f([5])]).shape).toEqual(['N', 5]);
    expect(() => inferOp('Gemm', [f(['N', 3]), f([4, 5])])).toThrow(StudioError);
    expect(() => inferOp('Gemm', [f(['N', 3]), f([3, 5]), f([4])])).toThrow(StudioError);
    expect(() => inferOp('Gemm', [f(['N', 3]), f([3, 5])], { transC: int(1) })).toThrow(/no attribute/);
  });
});

describe('MatMul', () => {
  it('multiplies a batch of rows by a matrix', () => {
    expect(runOpValues('MatMul', [a, b])).toEqual([4, 5, 10, 11]);
    const y = runOp('MatMul', [floatTensor([1, 2, 3, 4, 5, 6], [1, 2, 3]), b]);
    expect(y.shape).toEqual([1, 2, 2]);
  });
  it('infers shapes', () => {
    expect(inferOp('MatMul', [{ dtype: 'float32', shape: ['N', 3] }, { dtype: 'float32', shape: [3, 7] }]).shape).toEqual(['N', 7]);
    expect(() => inferOp('MatMul', [{ dtype: 'float32', shape: ['N', 3] }, { dtype: 'float32', shape: [2, 7] }])).toThrow(StudioError);
  });
});
