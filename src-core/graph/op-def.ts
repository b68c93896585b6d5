// The contract of one op-table row: input arity, accepted attributes, shape inference, reference evaluation.
import { StudioError } from '../errors';
import type { Attrs, GraphNode, Tensor, ValueType } from './types';

/** What shape inference sees of one node: its input types and the values of constant inputs. */
export interface InferContext {
  readonly node: GraphNode;
  readonly inputs: readonly ValueType[];
  /** The value of input i when it is a graph constant (shapes, axes), else undefined. */
  constant(i: number): Tensor | undefined;
}

/** One row of the op table. Semantics follow the ONNX operator of the same name at the studio's opset. */
export interface OpDef {
  /** The ONNX op_type. */
  readonly op: string;
  /** Fewest and most inputs (optional trailing inputs may be absent). */
  readonly arity: readonly [number, number];
  /** Attribute names the op accepts. */
  readonly attrs: readonly string[];
  /** Output types from input types (symbolic dims flow through). */
  infer(ctx: InferContext): ValueType[];
  /** Reference CPU evaluation in plain loops; correctness over speed. */
  evaluate(inputs: readonly Tensor[], attrs: Attrs): Tensor[];
}

/** Throws an invalid-shape error naming the node. */
export function shapeError(node: GraphNode, message: string): never {
  throw new StudioError('invalid-shape', `${node.op} node '${node.name}': ${message}`);
}

/** Throws unless input i has the wanted dtype. */
export function expectDtype(ctx: InferContext, i: number, dtype: ValueType['dtype']): void {
  const t = ctx.inputs[i];
  if (t.dtype !== dtype) {
    throw new StudioError('invalid-argument', `${ctx.node.op} node '${ctx.node.name}': input ${i} must be ${dtype}, got ${t.dtype}`);
  }
}

/** Normalises a possibly negative axis for a rank; throws when out of range. */
export function normAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new StudioError('invalid-argument', `${what} ${axis} is out of range for rank ${rank}`);
  }
  return a;
}
