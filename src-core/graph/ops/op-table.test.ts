// The op table: one row per op, duplicates refused, unknown ops named.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { binaryOp } from './binary';
import { OP_ROWS, createOpTable, opTable } from '.';
import { inferOp } from './op-test-kit';

describe('op table', () => {
  it('holds every row once', () => {
    expect(opTable.names()).toHaveLength(OP_ROWS.length);
    for (const op of ['Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sin', 'Cos', 'Sqrt', 'Pow', 'Concat', 'Reshape', 'Transpose', 'ReduceMean', 'ReduceSum', 'Unsqueeze', 'Gather']) {
      expect(opTable.has(op)).toBe(true);
    }
  });
  it('throws duplicate-name when an op is registered twice', () => {
    const table = createOpTable();
    expect(() => table.register('Add', binaryOp('Add', (x, y) => x + y))).toThrow(StudioError);
    expect(() => createOpTable([...OP_ROWS, binaryOp('Mul', (x, y) => x * y)])).toThrow(/already registered/);
  });
  it('names the known ops on an unknown one', () => {
    expect(() => inferOp('MaxPool', [{ dtype: 'float32', shape: [1] }])).toThrow(/unknown op 'MaxPool'.*Gemm/);
  });
  it('checks arity', () => {
    expect(() => inferOp('Add', [{ dtype: 'float32', shape: [1] }])).toThrow(/takes 2 inputs/);
  });
});
