// The op table in tfjs terms: for each graph op, a compiler from a node to a function of tfjs tensors.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../errors';
import { attrFloat, attrInt, attrInts } from '../../graph/attrs';
import { normAxis } from '../../graph/op-def';
import { resolveReshape } from '../../graph/ops/reshape';
import { unsqueezeShape } from '../../graph/ops/unsqueeze';
import { Registry } from '../../registry';
import { dense } from './dense';
import type { CompileContext, TfjsOpCompiler } from './tfjs-compiler';
import { TFJS_IMAGE_OP_ROWS } from './tfjs-image-ops';

export type { TfjsKernel, TfjsOpCompiler } from './tfjs-compiler';

function requireInts(ctx: CompileContext, i: number, what: string): number[] {
  const v = ctx.constInts(i);
  if (!v) throw new StudioError('invalid-argument', `${ctx.node.op} node '${ctx.node.name}': ${what} must be a graph constant`);
  return v;
}

const unary = (f: (x: tf.Tensor) => tf.Tensor): TfjsOpCompiler => () => (ins) => f(ins[0]);
const binary = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): TfjsOpCompiler => () => (ins) => f(ins[0], ins[1]);

const gemm: TfjsOpCompiler = (ctx) => {
  const { attrs } = ctx.node;
  const ta = attrInt(attrs, 'transA', 0) !== 0;
  const tb = attrInt(attrs, 'transB', 0) !== 0;
  const alpha = attrFloat(attrs, 'alpha', 1);
  const beta = attrFloat(attrs, 'beta', 1);
  const plain = !ta && !tb && alpha === 1 && beta === 1;
  return (ins) => {
    const [a, b, c] = ins as [tf.Tensor2D, tf.Tensor2D, tf.Tensor | undefined];
    // the models' dense layers: x @ W + bias [N] goes through the fast path
    if (plain && (!c || c.rank === 1)) return dense(a, b, (c as tf.Tensor1D | undefined) ?? null, ctx.matMulGradient);
    let y: tf.Tensor = tf.matMul(a, b, ta, tb);
    if (alpha !== 1) y = tf.mul(y, alpha);
    return c ? tf.add(y, beta === 1 ? c : tf.mul(c, beta)) : y;
  };
};

const matMul: TfjsOpCompiler = (ctx) => (ins) => {
  const [a, b] = ins as [tf.Tensor, tf.Tensor2D];
  if (a.rank === 2) return dense(a as tf.Tensor2D, b, null, ctx.matMulGradient);
  // A [..., K]: fold the leading dims into rows, multiply, unfold
  const k = a.shape[a.rank - 1];
  const y = dense(tf.reshape(a, [-1, k]), b, null, ctx.matMulGradient);
  return tf.reshape(y, [...a.shape.slice(0, -1), b.shape[1]]);
};

const concat: TfjsOpCompiler = (ctx) => {
  const axis = attrInt(ctx.node.attrs, 'axis', Number.NaN);
  return (ins) => tf.concat(ins as tf.Tensor[], normAxis(axis, ins[0].rank, 'Concat axis'));
};

const reshape: TfjsOpCompiler = (ctx) => {
  const target = requireInts(ctx, 1, 'the target shape');
  return (ins) => tf.reshape(ins[0], resolveReshape(ins[0].shape, target) as number[]);
};

const unsqueeze: TfjsOpCompiler = (ctx) => {
  const axes = requireInts(ctx, 1, 'axes');
  return (ins) => tf.reshape(ins[0], unsqueezeShape(ins[0].shape, axes) as number[]);
};

const transpose: TfjsOpCompiler = (ctx) => {
  const perm = attrInts(ctx.node.attrs, 'perm');
  return (ins) => tf.transpose(ins[0], perm ? [...perm] : undefined);
};

function reduceAxes(axes: readonly number[] | undefined, rank: number): number[] {
  if (!axes || axes.length === 0) return Array.from({ length: rank }, (_, i) => i);
  return axes.map((a) => normAxis(a, rank, 'reduction axis'));
}

const reduceMean: TfjsOpCompiler = (ctx) => {
  const axes = attrInts(ctx.node.attrs, 'axes');
  const keep = attrInt(ctx.node.attrs, 'keepdims', 1) !== 0;
  return (ins) => tf.mean(ins[0], reduceAxes(axes, ins[0].rank), keep);
};

const reduceSum: TfjsOpCompiler = (ctx) => {
  if (attrInt(ctx.node.attrs, 'noop_with_empty_axes', 0) !== 0) throw new StudioError('invalid-argument', 'noop_with_empty_axes is not supported');
  const axes = ctx.node.inputs.length > 1 ? requireInts(ctx, 1, 'axes') : undefined;
  const keep = attrInt(ctx.node.attrs, 'keepdims', 1) !== 0;
  return (ins) => tf.sum(ins[0], reduceAxes(axes, ins[0].rank), keep);
};

/** Rows of a [rows, dim] table picked by 1-D indices; the table's gradient is onehot(idx)^T @ dy (a product, not a scatter). */
function embeddingLookup(table: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  // tfjs's Gather gradient needs UnsortedSegmentSum, which the wasm backend lacks
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, i, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([i]);
    return {
      value: tf.gather(t, i, 0),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const picks = saved[0] as tf.Tensor1D;
        // int32 one-hot then a cast: the wasm OneHot kernel ignores a float32 dtype and its result reads as zeros
        const oneHot = tf.cast(tf.oneHot(picks, t.shape[0]), 'float32') as tf.Tensor2D;
        const dTable = tf.matMul(tf.transpose(oneHot), dy as tf.Tensor2D);
        return [dTable, tf.zeros(picks.shape)];
      },
    };
  });
  return lookup(table, idx) as tf.Tensor2D;
}

const gather: TfjsOpCompiler = (ctx) => {
  const axisAttr = attrInt(ctx.node.attrs, 'axis', 0);
  return (ins) => {
    const [data, idx] = ins;
    const axis = normAxis(axisAttr, data.rank, 'Gather axis');
    // ONNX counts negative indices from the end; tfjs does not
    const size = data.shape[axis];
    const wrapped = tf.add(idx, tf.mul(tf.cast(tf.less(idx, 0), 'int32'), tf.scalar(size, 'int32')));
    if (axis === 0 && data.rank === 2 && idx.rank === 1 && data.dtype === 'float32') return embeddingLookup(data as tf.Tensor2D, wrapped as tf.Tensor1D);
    return tf.gather(data, wrapped, axis);
  };
};

/** The tfjs rows; every op of the graph op table the model families use has one. */
export const TFJS_OP_ROWS: readonly (readonly [string, TfjsOpCompiler])[] = [
  ['Neg', unary(tf.neg)],
  ['Sigmoid', unary(tf.sigmoid)],
  ['Tanh', unary(tf.tanh)],
  ['Exp', unary(tf.exp)],
  ['Log', unary(tf.log)],
  ['Sin', unary(tf.sin)],
  ['Cos', unary(tf.cos)],
  ['Sqrt', unary(tf.sqrt)],
  ['Relu', unary(tf.relu)],
  ['Add', binary(tf.add)],
  ['Sub', binary(tf.sub)],
  ['Mul', binary(tf.mul)],
  ['Div', binary(tf.div)],
  ['Pow', binary(tf.pow)],
  ['Gemm', gemm],
  ['MatMul', matMul],
  ['Concat', concat],
  ['Reshape', reshape],
  ['Unsqueeze', unsqueeze],
  ['Transpose', transpose],
  ['ReduceMean', reduceMean],
  ['ReduceSum', reduceSum],
  ['Gather', gather],
  ...TFJS_IMAGE_OP_ROWS,
];

/** The tfjs op table; registering an op twice throws. */
export const tfjsOpTable: Registry<TfjsOpCompiler> = new Registry<TfjsOpCompiler>('tfjs op');
for (const [op, compile] of TFJS_OP_ROWS) tfjsOpTable.register(op, compile);
