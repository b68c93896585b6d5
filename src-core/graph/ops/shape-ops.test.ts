// Concat, Reshape, Transpose and Unsqueeze rows: hand-computed values and symbolic shape inference.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { int, ints } from '../attrs';
import { floatTensor, int64Tensor } from '../tensor';
import { resolveReshape } from './reshape';
import { inferOp, runOp } from './op-test-kit';

const a = floatTensor([1, 2, 3, 4, 5, 6], [2, 3]);
const values = (t: { data: ArrayLike<number | bigint> }) => Array.from(t.data, Number);

describe('Concat', () => {
  it('joins along the last and the first axis', () => {
    const c = runOp('Concat', [a, floatTensor([7, 8], [2, 1])], { axis: int(-1) });
    expect(c.shape).toEqual([2, 4]);
    expect(values(c)).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
    const r = runOp('Concat', [a, floatTensor([0, 0, 0], [1, 3])], { axis: int(0) });
    expect(r.shape).toEqual([3, 3]);
    expect(values(r)).toEqual([1, 2, 3, 4, 5, 6, 0, 0, 0]);
  });
  it('joins int64 tensors', () => {
    expect(values(runOp('Concat', [int64Tensor([1], [1]), int64Tensor([2, 3], [2])], { axis: int(0) }))).toEqual([1, 2, 3]);
  });
  it('infers with a symbolic batch and rejects mismatches', () => {
    const f = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });
    expect(inferOp('Concat', [f(['N', 2]), f(['N', 64])], { axis: int(1) }).shape).toEqual(['N', 66]);
    expect(() => inferOp('Concat', [f(['N', 2]), f(['M', 64])], { axis: int(1) })).toThrow(StudioError);
    expect(() => inferOp('Concat', [f(['N', 2])])).toThrow(StudioError);
  });
});

describe('Reshape', () => {
  it('reshapes with 0 and -1', () => {
    const r = runOp('Reshape', [a, int64Tensor([3, -1], [2])]);
    expect(r.shape).toEqual([3, 2]);
    expect(values(r)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(runOp('Reshape', [a, int64Tensor([0, 3, 1], [3])]).shape).toEqual([2, 3, 1]);
  });
  it('resolves symbolic shapes', () => {
    expect(resolveReshape(['N', 2, 3], [0, -1])).toEqual(['N', 6]);
    expect(resolveReshape(['N', 6], [-1, 2, 3])).toEqual(['N', 2, 3]);
    expect(() => resolveReshape(['N', 6], [4, -1])).toThrow(StudioError);
    expect(() => resolveReshape([2, 3], [4, 2])).toThrow(/element count/);
    expect(() => resolveReshape([2, 3], [-1, -1])).toThrow(StudioError);
  });
  it('folds a symbol with fixed sizes into a derived symbol and unfolds it again', () => {
    expect(resolveReshape([4, 'N', 30, 30], [4, -1])).toEqual([4, 'N*900']);
    expect(resolveReshape([4, 'N*900'], [4, -1, 30, 30])).toEqual([4, 'N', 30, 30]);
    expect(resolveReshape([4, 'N*900'], [-1, 30])).toEqual(['N*120', 30]);
    expect(resolveReshape(['N*900', 2], [-1])).toEqual(['N*1800']);
    expect(resolveReshape(['N', 8], [4, -1])).toEqual([4, 'N*2']);
    // N / 2 is not a whole multiple of N: refused
    expect(() => resolveReshape(['N', 2], [4, -1])).toThrow(/cannot infer/);
    expect(resolveReshape(['N*900'], [900, -1])).toEqual([900, 'N']);
    expect(() => resolveReshape(['N*900'], [7, -1])).toThrow(/cannot infer/);
  });
  it('needs a constant target shape', () => {
    const s = { dtype: 'int64' as const, shape: [2] };
    expect(() => inferOp('Reshape', [{ dtype: 'float32', shape: ['N', 4] }, s])).toThrow(/constant/);
    expect(inferOp('Reshape', [{ dtype: 'float32', shape: ['N', 4] }, s], {}, { 1: int64Tensor([0, 4], [2]) }).shape).toEqual(['N', 4]);
  });
});

describe('Transpose', () => {
  it('reverses by default and follows perm', () => {
    const t = runOp('Transpose', [a]);
    expect(t.shape).toEqual([3, 2]);
    expect(values(t)).toEqual([1, 4, 2, 5, 3, 6]);
    const x = floatTensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const p = runOp('Transpose', [x], { perm: ints([1, 0, 2]) });
    expect(p.shape).toEqual([3, 2, 2]);
    expect(values(p)).toEqual([0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]);
  });
  it('infers and rejects a non-permutation', () => {
    expect(inferOp('Transpose', [{ dtype: 'float32', shape: ['N', 3] }]).shape).toEqual([3, 'N']);
    expect(() => inferOp('Transpose', [{ dtype: 'float32', shape: ['N', 3] }], { perm: ints([0, 0]) })).toThrow(StudioError);
  });
});

describe('Unsqueeze', () => {
  it('inserts axes', () => {
    const u = runOp('Unsqueeze', [floatTensor([1, 2, 3], [3]), int64Tensor([1], [1])]);
    expect(u.shape).toEqual([3, 1]);
    expect(values(u)).toEqual([1, 2, 3]);
    expect(runOp('Unsqueeze', [floatTensor([1, 2, 3], [3]), int64Tensor([0, -1], [2])]).shape).toEqual([1, 3, 1]);
  });
  it('infers with symbols and rejects repeats', () => {
    const axes = { 1: int64Tensor([1], [1]) };
    const types = [{ dtype: 'float32' as const, shape: ['N'] }, { dtype: 'int64' as const, shape: [1] }];
    expect(inferOp('Unsqueeze', types, {}, axes).shape).toEqual(['N', 1]);
    expect(() => inferOp('Unsqueeze', types, {}, { 1: int64Tensor([1, 1], [2]) })).toThrow(StudioError);
  });
});
