// Unary rows: hand-computed values and type passthrough.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { floatTensor, int64Tensor } from '../tensor';
import { inferOp, runOpValues } from './op-test-kit';

const x = floatTensor([-2, -0.5, 0, 1, 3], [5]);
const close = (got: number[], want: number[]) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));

describe('unary ops', () => {
  it('Neg, Relu', () => {
    expect(runOpValues('Neg', [x])).toEqual([2, 0.5, -0, -1, -3]);
    expect(runOpValues('Relu', [x])).toEqual([0, 0, 0, 1, 3]);
  });
  it('Sigmoid, including large |x| without overflow', () => {
    close(runOpValues('Sigmoid', [x]), [0.11920292, 0.37754067, 0.5, 0.73105858, 0.95257413]);
    expect(runOpValues('Sigmoid', [floatTensor([-1000, 1000], [2])])).toEqual([0, 1]);
  });
  it('Tanh, Exp, Log, Sqrt', () => {
    close(runOpValues('Tanh', [x]), [-0.96402758, -0.46211716, 0, 0.76159416, 0.99505475]);
    close(runOpValues('Exp', [floatTensor([0, 1, -1], [3])]), [1, 2.71828183, 0.36787944]);
    close(runOpValues('Log', [floatTensor([1, Math.E, 10], [3])]), [0, 1, 2.30258509]);
    close(runOpValues('Sqrt', [floatTensor([0, 4, 2], [3])]), [0, 2, 1.41421356]);
  });
  it('Sin, Cos', () => {
    close(runOpValues('Sin', [floatTensor([0, Math.PI / 2, Math.PI / 6], [3])]), [0, 1, 0.5]);
    close(runOpValues('Cos', [floatTensor([0, Math.PI, Math.PI / 3], [3])]), [1, -1, 0.5]);
  });
  it('keeps symbolic shapes and refuses int64', () => {
    expect(inferOp('Sigmoid', [{ dtype: 'float32', shape: ['N', 4] }])).toEqual({ dtype: 'float32', shape: ['N', 4] });
    expect(() => inferOp('Exp', [{ dtype: 'int64', shape: [2] }])).toThrow(StudioError);
    expect(() => runOpValues('Exp', [int64Tensor([1], [1])])).toThrow(StudioError);
  });
});
