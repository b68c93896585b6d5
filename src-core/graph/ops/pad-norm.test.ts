// Pad, strided Slice and InstanceNormalization rows: hand-computed values, shape inference and refused forms.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { float, str } from '../attrs';
import { floatTensor, int64Tensor } from '../tensor';
import { inferOp, runOp, runOpValues } from './op-test-kit';

const f = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });
const i64 = (v: number[]) => int64Tensor(v, [v.length]);
const pads = (v: number[]) => ({ 1: i64(v) });
const padTypes = (shape: (number | string)[], n: number) => [f(shape), { dtype: 'int64' as const, shape: [n] }];

describe('Pad', () => {
  it('surrounds the data with zeros or a given value', () => {
    const x = floatTensor([1, 2, 3, 4], [2, 2]);
    const p = runOp('Pad', [x, i64([1, 0, 0, 1])]);
    expect(p.shape).toEqual([3, 3]);
    expect(Array.from(p.data as Float32Array)).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
    expect(runOpValues('Pad', [floatTensor([5], [1]), i64([2, 1]), floatTensor([-1], [])])).toEqual([-1, -1, 5, -1]);
    expect(runOp('Pad', [x, i64([0, 0, 0, 0])]).data).toEqual(x.data);
  });
  it('infers with a symbolic batch left unpadded', () => {
    expect(inferOp('Pad', padTypes(['N', 3, 5, 4], 8), {}, pads([0, 0, 1, 2, 0, 0, 3, 0])).shape).toEqual(['N', 3, 9, 6]);
  });
  it('refuses negative or misshapen pads, a padded symbol, variable pads and other modes', () => {
    expect(() => inferOp('Pad', padTypes([2, 2], 4), {}, pads([0, -1, 0, 0]))).toThrow(/non-negative/);
    expect(() => inferOp('Pad', padTypes([2, 2], 2), {}, pads([1, 1]))).toThrow(/4 pads/);
    expect(() => inferOp('Pad', padTypes(['N', 2], 4), {}, pads([1, 0, 0, 0]))).toThrow(/symbolic/);
    expect(() => inferOp('Pad', padTypes([2, 2], 4))).toThrow(/constant/);
    expect(() => inferOp('Pad', padTypes([2, 2], 4), { mode: str('reflect') }, pads([1, 1, 1, 1]))).toThrow(StudioError);
    expect(() => inferOp('Pad', [...padTypes([2, 2], 4), f([1])], {}, pads([1, 1, 1, 1]))).toThrow(/scalar/);
  });
});

describe('Slice with steps', () => {
  const x = floatTensor(Array.from({ length: 20 }, (_, i) => i), [4, 5]);
  it('keeps every step-th element from the start', () => {
    const s = runOp('Slice', [x, i64([1, 0]), i64([4, 5]), i64([0, 1]), i64([2, 2])]);
    expect(s.shape).toEqual([2, 3]);
    expect(Array.from(s.data as Float32Array)).toEqual([5, 7, 9, 15, 17, 19]);
    expect(runOpValues('Slice', [x, i64([1]), i64([5]), i64([1]), i64([3])])).toEqual([1, 4, 6, 9, 11, 14, 16, 19]);
  });
  it('infers ceil((end - start) / step) and refuses steps below 1', () => {
    const types = [f(['N', 3, 7, 7]), ...[2, 2, 2, 2].map((n) => ({ dtype: 'int64' as const, shape: [n] }))];
    const c = (steps: number[]) => ({ 1: i64([0, 1]), 2: i64([7, 7]), 3: i64([2, 3]), 4: i64(steps) });
    expect(inferOp('Slice', types, {}, c([2, 2])).shape).toEqual(['N', 3, 4, 3]);
    expect(() => inferOp('Slice', types, {}, c([0, 1]))).toThrow(/positive/);
    expect(() => inferOp('Slice', types, {}, c([-1, 1]))).toThrow(/positive/);
  });
});

describe('InstanceNormalization', () => {
  it('normalises each (n, c) slice, then scales and shifts it by channel', () => {
    // slice 1: mean 2.5, variance 1.25; slice 2: constant, so it becomes the bias alone
    const x = floatTensor([1, 2, 3, 4, 7, 7, 7, 7], [1, 2, 4]);
    const y = runOpValues('InstanceNormalization', [x, floatTensor([2, 3], [2]), floatTensor([0.5, -1], [2])], { epsilon: float(0.25) });
    const k = 2 / Math.sqrt(1.25 + 0.25);
    [1, 2, 3, 4].forEach((v, i) => expect(y[i]).toBeCloseTo((v - 2.5) * k + 0.5, 6));
    y.slice(4).forEach((v) => expect(v).toBeCloseTo(-1, 6));
  });
  it('uses epsilon 1e-5 by default and normalises over every axis after C', () => {
    const x = floatTensor([0, 2, 4, 6], [1, 1, 2, 2]);
    const y = runOpValues('InstanceNormalization', [x, floatTensor([1], [1]), floatTensor([0], [1])]);
    const s = Math.sqrt(5 + 1e-5);
    [0, 2, 4, 6].forEach((v, i) => expect(y[i]).toBeCloseTo((v - 3) / s, 6));
  });
  it('infers X type and refuses bad shapes', () => {
    expect(inferOp('InstanceNormalization', [f(['N', 8, 96]), f([8]), f([8])]).shape).toEqual(['N', 8, 96]);
    expect(() => inferOp('InstanceNormalization', [f(['N', 8]), f([8]), f([8])])).toThrow(/N, C, D1/);
    expect(() => inferOp('InstanceNormalization', [f(['N', 8, 'L']), f([8]), f([8])])).toThrow(/fixed/);
    expect(() => inferOp('InstanceNormalization', [f(['N', 8, 4]), f([4]), f([8])])).toThrow(/scale/);
    expect(() => inferOp('InstanceNormalization', [f(['N', 8, 4]), f([8]), f([8])], { epsilon: float(0) })).toThrow(/epsilon/);
  });
});
