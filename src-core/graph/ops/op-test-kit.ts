// Small helpers the op-row tests share: evaluate or infer one op without building a graph.
import type { Attrs, Tensor, ValueType } from '../types';
import { inferNode } from '../infer';
import { asFloat } from '../tensor';
import { opTable } from '.';

/** Evaluates one op of the table on tensors and returns its first output. */
export function runOp(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  return opTable.get(op).evaluate(inputs, attrs)[0];
}

/** Evaluates one op and returns its float output's values as a plain array. */
export function runOpValues(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): number[] {
  return Array.from(asFloat(runOp(op, inputs, attrs), `${op} output`).data);
}

/** Infers one op's output type from input types (constants by input position). */
export function inferOp(op: string, inputs: readonly ValueType[], attrs: Attrs = {}, constants: Readonly<Record<number, Tensor>> = {}): ValueType {
  const node = { name: 'n', op, inputs: inputs.map((_, i) => `i${i}`), outputs: ['o'], attrs };
  return inferNode(node, inputs, (i) => constants[i])[0];
}

/** A tensor's elements as plain numbers (int64 converted). */
export function valuesOf(t: Tensor): number[] {
  return t.dtype === 'float32' ? Array.from(t.data) : Array.from(t.data, Number);
}
