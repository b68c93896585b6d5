// The types a tfjs node compiler works with: what it sees of its node, and the kernel it returns.
import type * as tf from '@tensorflow/tfjs-core';
import type { GraphNode } from '../../graph/types';
import type { MatMulGradient } from './dense';

/** What a node's compiler sees: the node, constant integer inputs (shapes, axes) and the matMul gradient rule. */
export interface CompileContext {
  readonly node: GraphNode;
  /** The integer values of input i when it is an int64 graph constant, else undefined. */
  constInts(i: number): number[] | undefined;
  readonly matMulGradient: MatMulGradient;
}

/** A compiled node: tfjs tensors in (in the node's input order), one tensor out. */
export type TfjsKernel = (inputs: readonly tf.Tensor[]) => tf.Tensor;

/** Turns one node into its kernel; checks what can be checked before anything runs. */
export type TfjsOpCompiler = (ctx: CompileContext) => TfjsKernel;
