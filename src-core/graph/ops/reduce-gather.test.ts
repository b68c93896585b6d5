// ReduceMean, ReduceSum and Gather rows: hand-computed values and shape inference.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { int, ints } from '../attrs';
import { floatTensor, int64Tensor } from '../tensor';
import { inferOp, runOp, runOpValues, valuesOf } from './op-test-kit';

const a = floatTensor([1, 2, 3, 4, 5, 6], [2, 3]);

describe('ReduceMean / ReduceSum', () => {
  it('reduce over one axis with and without keepdims', () => {
    const m = runOp('ReduceMean', [a], { axes: ints([1]) });
    expect(m.shape).toEqual([2, 1]);
    expect(valuesOf(m)).toEqual([2, 5]);
    const s = runOp('ReduceSum', [a, int64Tensor([0], [1])], { keepdims: int(0) });
    expect(s.shape).toEqual([3]);
    expect(valuesOf(s)).toEqual([5, 7, 9]);
  });
  it('reduce over everything when no axes are given', () => {
    expect(runOpValues('ReduceMean', [a], { keepdims: int(0) })).toEqual([3.5]);
    expect(runOp('ReduceSum', [a]).shape).toEqual([1, 1]);
    expect(runOpValues('ReduceSum', [a])).toEqual([21]);
  });
  it('infers shapes and refuses unsupported options', () => {
    expect(inferOp('ReduceMean', [{ dtype: 'float32', shape: ['N', 8] }], { axes: ints([-1]) }).shape).toEqual(['N', 1]);
    const types = [{ dtype: 'float32' as const, shape: ['N', 8] }, { dtype: 'int64' as const, shape: [1] }];
    expect(inferOp('ReduceSum', types, { keepdims: int(0) }, { 1: int64Tensor([1], [1]) }).shape).toEqual(['N']);
    expect(() => inferOp('ReduceSum', types, {}, {})).toThrow(/constant/);
    expect(() => runOp('ReduceSum', [a], { noop_with_empty_axes: int(1) })).toThrow(StudioError);
    expect(() => inferOp('ReduceMean', [{ dtype: 'float32', shape: [2] }], { axes: ints([0, 0]) })).toThrow(StudioError);
  });
});

describe('Gather', () => {
  const table = floatTensor([0, 0, 1, 1, 2, 2, 3, 3], [4, 2]);
  it('looks up rows, negative indices counted from the end', () => {
    const g = runOp('Gather', [table, int64Tensor([2, 0, -1], [3])]);
    expect(g.shape).toEqual([3, 2]);
    expect(valuesOf(g)).toEqual([2, 2, 0, 0, 3, 3]);
  });
  it('gathers along axis 1', () => {
    const g = runOp('Gather', [a, int64Tensor([2, 0], [2])], { axis: int(1) });
    expect(g.shape).toEqual([2, 2]);
    expect(valuesOf(g)).toEqual([3, 1, 6, 4]);
  });
  it('rejects out-of-range indices and float indices', () => {
    expect(() => runOp('Gather', [table, int64Tensor([4], [1])])).toThrow(/out of range/);
    expect(() => inferOp('Gather', [{ dtype: 'float32', shape: [4, 2] }, { dtype: 'float32', shape: ['N'] }])).toThrow(StudioError);
  });
  it('infers [N, dim] for an embedding lookup', () => {
    expect(inferOp('Gather', [{ dtype: 'float32', shape: [11, 32] }, { dtype: 'int64', shape: ['N'] }]).shape).toEqual(['N', 32]);
  });
});
