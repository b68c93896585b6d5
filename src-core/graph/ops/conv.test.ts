// Conv, ConvTranspose, Einsum and Softmax rows: hand-computed values, the conv/transpose adjoint identity, shape checks.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng';
import { ints, str } from '../attrs';
import { floatTensor } from '../tensor';
import type { FloatTensor } from '../types';
import { inferOp, runOp, runOpValues } from './op-test-kit';

const f = (shape: (number | string)[]) => ({ dtype: 'float32' as const, shape });
const x33 = floatTensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
const ones = (shape: number[]) => floatTensor(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
const close = (got: number[], want: number[]) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));

describe('Conv', () => {
  it('computes a plain 2x2 convolution with bias', () => {
    expect(runOpValues('Conv', [x33, floatTensor([1, 0, 0, 1], [1, 1, 2, 2])])).toEqual([6, 8, 12, 14]);
    expect(runOpValues('Conv', [x33, floatTensor([1, 0, 0, 1], [1, 1, 2, 2]), floatTensor([10], [1])])).toEqual([16, 18, 22, 24]);
  });
  it('strides, pads and dilations', () => {
    expect(runOpValues('Conv', [x33, ones([1, 1, 3, 3])], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) })).toEqual([12, 16, 24, 28]);
    expect(runOpValues('Conv', [x33, ones([1, 1, 2, 2])], { dilations: ints([2, 2]) })).toEqual([20]);
  });
  it('mixes channels', () => {
    expect(runOpValues('Conv', [floatTensor([2, 3], [1, 2, 1, 1]), floatTensor([1, 1, 1, -1], [2, 2, 1, 1])])).toEqual([5, -1]);
  });
  it('infers [N, M, oh, ow] and rejects mismatches', () => {
    expect(inferOp('Conv', [f(['N', 3, 28, 28]), f([8, 3, 3, 3]), f([8])], { pads: ints([1, 1, 1, 1]), strides: ints([2, 2]) }).shape).toEqual(['N', 8, 14, 14]);
    // the weight-gradient form: the batch is the channel axis of both operands
    expect(inferOp('Conv', [f([3, 'N', 8, 8]), f([4, 'N', 4, 4])], { dilations: ints([2, 2]), pads: ints([1, 1, 1, 1]) }).shape).toEqual([3, 4, 4, 4]);
    expect(() => inferOp('Conv', [f(['N', 3, 8, 8]), f([8, 2, 3, 3])])).toThrow(/channels/);
    expect(() => inferOp('Conv', [f(['N', 3, 8, 8]), f([8, 3, 3, 3]), f([4])])).toThrow(/bias/);
    expect(() => inferOp('Conv', [f(['N', 3, 8, 8]), f([8, 3, 3, 3])], { group: { kind: 'int', value: 3 } })).toThrow(/group/);
    expect(() => inferOp('Conv', [f(['N', 3, 2, 2]), f([8, 3, 3, 3])])).toThrow(/output/);
  });
});

describe('ConvTranspose', () => {
  const x22 = floatTensor([1, 2, 3, 4], [1, 1, 2, 2]);
  it('spreads each input over its kernel window', () => {
    expect(runOpValues('ConvTranspose', [x22, ones([1, 1, 2, 2])])).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    expect(runOpValues('ConvTranspose', [x22, ones([1, 1, 2, 2])], { strides: ints([2, 2]) })).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(runOpValues('ConvTranspose', [x22, ones([1, 1, 2, 2])], { pads: ints([1, 1, 1, 1]) })).toEqual([10]);
    const padded = runOp('ConvTranspose', [x22, ones([1, 1, 1, 1]), floatTensor([0.5], [1])], { strides: ints([2, 2]), output_padding: ints([1, 1]) });
    expect(padded.shape).toEqual([1, 1, 4, 4]);
    expect(Array.from(padded.data as Float32Array)).toEqual([1.5, 0.5, 2.5, 0.5, 0.5, 0.5, 0.5, 0.5, 3.5, 0.5, 4.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
  it('is the adjoint of Conv: <conv(x, w), y> = <x, convT(y, w)>', () => {
    const rng = new Rng(5);
    const rand = (shape: number[]) => floatTensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
    const attrs = { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) };
    const x = rand([2, 3, 6, 5]);
    const w = rand([4, 3, 3, 3]);
    const y = rand([2, 4, 3, 3]);
    const cx = runOp('Conv', [x, w], attrs) as FloatTensor;
    expect(cx.shape).toEqual([2, 4, 3, 3]);
    const ty = runOp('ConvTranspose', [y, w], { ...attrs, output_padding: ints([1, 0]) }) as FloatTensor;
    expect(ty.shape).toEqual(x.shape);
    const dot = (a: FloatTensor, b: FloatTensor) => a.data.reduce((s, v, i) => s + v * b.data[i], 0);
    expect(dot(cx, y)).toBeCloseTo(dot(x, ty), 3);
  });
  it('infers its size and checks output_padding', () => {
    expect(inferOp('ConvTranspose', [f(['N', 8, 7, 7]), f([8, 4, 3, 3])], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), output_padding: ints([1, 1]) }).shape).toEqual(['N', 4, 14, 14]);
    expect(() => inferOp('ConvTranspose', [f(['N', 8, 7, 7]), f([8, 4, 3, 3])], { output_padding: ints([1, 1]) })).toThrow(/output_padding/);
  });
});

describe('Einsum', () => {
  it('is a (batched) matrix product with either side transposed', () => {
    const a = floatTensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = floatTensor([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(runOpValues('Einsum', [a, b], { equation: str('ij,jk->ik') })).toEqual([4, 5, 10, 11]);
    expect(runOpValues('Einsum', [a, a], { equation: str('ij,kj->ik') })).toEqual([14, 32, 32, 77]);
    const q = floatTensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(runOpValues('Einsum', [q, q], { equation: str('bic,bjc->bij') })).toEqual([5, 11, 11, 25, 61, 83, 83, 113]);
    expect(runOpValues('Einsum', [a, b], { equation: str('ij,jk->ki') })).toEqual([4, 10, 5, 11]);
  });
  it('infers symbolic shapes and refuses forms that are not products', () => {
    expect(inferOp('Einsum', [f(['N', 16, 8]), f(['N', 16, 8])], { equation: str('bci,bcj->bij') }).shape).toEqual(['N', 8, 8]);
    expect(inferOp('Einsum', [f(['N', 4, 9]), f(['N', 6, 9])], { equation: str('nmp,nkp->mk') }).shape).toEqual([4, 6]);
    expect(() => inferOp('Einsum', [f([2, 3]), f([4, 2])], { equation: str('ij,jk->ik') })).toThrow(/different sizes/);
    expect(() => inferOp('Einsum', [f([2, 3]), f([3])], { equation: str('ij,j->') })).toThrow(/two terms/);
    expect(() => inferOp('Einsum', [f([2, 2]), f([2, 2])], { equation: str('ii,ij->j') })).toThrow(/repeats/);
    expect(() => inferOp('Einsum', [f([2, 2]), f([2, 2])], { equation: str('...i,ij') })).toThrow(/form/);
  });
});

describe('Softmax', () => {
  it('normalises the last axis, stably for large inputs', () => {
    close(runOpValues('Softmax', [floatTensor([0, Math.log(2), 1000, 1001], [2, 2])]), [1 / 3, 2 / 3, 1 / (1 + Math.E), Math.E / (1 + Math.E)]);
    close(runOpValues('Softmax', [floatTensor([5, 5, 5], [1, 3])], { axis: { kind: 'int', value: 1 } }), [1 / 3, 1 / 3, 1 / 3]);
  });
  it('refuses other axes', () => {
    expect(() => inferOp('Softmax', [f(['N', 3, 4])], { axis: { kind: 'int', value: 1 } })).toThrow(/last axis/);
  });
});
