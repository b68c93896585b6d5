// The U-Net's ops in tfjs terms: Conv (NCHW over tfjs's NHWC kernels, with a gradient every backend can run), Einsum, Softmax, Expand, InstanceNormalization.
import * as tf from '@tensorflow/tfjs-core';
import { attrFloat } from '../../graph/attrs';
import { broadcastShapes } from '../../graph/broadcast';
import { convGeometry, type ConvGeometry } from '../../graph/ops/conv';
import { einsumTerms } from '../../graph/ops/einsum';
import { StudioError } from '../../errors';
import type { TfjsOpCompiler } from './tfjs-compiler';

type Pads = [[number, number], [number, number], [number, number], [number, number]];

const nhwcPads = (g: ConvGeometry): Pads => [[0, 0], [g.pt, g.pb], [g.pl, g.pr], [0, 0]];

/**
 * conv2d on NHWC with a hand-written gradient: the wasm backend has no Conv2DBackpropFilter kernel, so the filter's
 * gradient is a conv2d of X^T (batch C, channels N) with dY as the kernel, dilated by the stride, as in the ONNX rule.
 */
function conv2dNhwc(g: ConvGeometry): (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D {
  const strides: [number, number] = [g.sh, g.sw];
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, f, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, f]);
    return {
      value: tf.conv2d(x, f, strides, nhwcPads(g), 'NHWC'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = tf.conv2dTranspose(dy as tf.Tensor4D, sf, sx.shape, strides, nhwcPads(g));
        const xT = tf.transpose(sx, [3, 1, 2, 0]);
        const kernel = tf.transpose(dy as tf.Tensor4D, [1, 2, 0, 3]);
        let dk = tf.conv2d(xT, kernel, 1, nhwcPads(g), 'NHWC', strides);
        if (dk.shape[1] !== g.kh || dk.shape[2] !== g.kw) dk = tf.slice(dk, [0, 0, 0, 0], [-1, g.kh, g.kw, -1]);
        return [dx, tf.transpose(dk, [1, 2, 0, 3])];
      },
    };
  });
  return (x, f) => run(x, f) as tf.Tensor4D;
}

const conv: TfjsOpCompiler = (ctx) => {
  const cache = new Map<string, (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D>();
  return (ins) => {
    const [x, w, b] = ins as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D | undefined];
    const key = `${w.shape[2]}x${w.shape[3]}`;
    let f = cache.get(key);
    if (!f) {
      f = conv2dNhwc(convGeometry(ctx.node.attrs, w.shape[2], w.shape[3]));
      cache.set(key, f);
    }
    // NCHW in and out: tfjs kernels are NHWC with filters [kh, kw, C, M]
    let y: tf.Tensor4D = f(tf.transpose(x, [0, 2, 3, 1]), tf.transpose(w, [2, 3, 1, 0]));
    if (b) y = tf.add(y, b);
    return tf.transpose(y, [0, 3, 1, 2]);
  };
};

const identity = (perm: readonly number[]) => perm.every((p, i) => p === i);
const permute = (t: tf.Tensor, perm: number[]) => (identity(perm) ? t : tf.transpose(t, perm));

/** Einsum a,b->out as one batched matMul: A to [batch, freeA, contracted], B to [batch, contracted, freeB]. */
const einsum: TfjsOpCompiler = (ctx) => {
  const t = einsumTerms(ctx.node.attrs);
  const out = [...t.out];
  const batch = out.filter((ch) => t.a.includes(ch) && t.b.includes(ch));
  const freeA = out.filter((ch) => t.a.includes(ch) && !t.b.includes(ch));
  const freeB = out.filter((ch) => t.b.includes(ch) && !t.a.includes(ch));
  const contracted = [...t.a].filter((ch) => t.b.includes(ch) && !t.out.includes(ch));
  const permA = [...batch, ...freeA, ...contracted].map((ch) => t.a.indexOf(ch));
  const permB = [...batch, ...contracted, ...freeB].map((ch) => t.b.indexOf(ch));
  const order = [...batch, ...freeA, ...freeB];
  const permOut = out.map((ch) => order.indexOf(ch));
  return (ins) => {
    const [a, b] = ins;
    const dim = (ch: string) => (t.a.includes(ch) ? a.shape[t.a.indexOf(ch)] : b.shape[t.b.indexOf(ch)]);
    const size = (letters: readonly string[]) => letters.reduce((s, ch) => s * dim(ch), 1);
    const a3 = tf.reshape(permute(a, permA), [size(batch), size(freeA), size(contracted)]);
    const b3 = tf.reshape(permute(b, permB), [size(batch), size(contracted), size(freeB)]);
    const y = tf.reshape(tf.matMul(a3 as tf.Tensor3D, b3 as tf.Tensor3D), order.map(dim));
    return permute(y, permOut);
  };
};

/** broadcastTo with its gradient as a sum: tfjs's own (through Tile) stops at rank 4, nearest upsampling uses rank 6. */
const expand: TfjsOpCompiler = (ctx) => {
  const target = ctx.constInts(1);
  if (!target) throw new StudioError('invalid-argument', `Expand node '${ctx.node.name}': the target shape must be a graph constant`);
  return (ins) => {
    const x = ins[0];
    const shape = broadcastShapes(x.shape, target) as number[];
    const lead = shape.length - x.rank;
    const axes = shape.flatMap((d, i) => (i < lead || x.shape[i - lead] !== d ? [i] : []));
    if (axes.length === 0) return tf.reshape(x, shape);
    const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const input = args[0] as tf.Tensor;
      return { value: tf.broadcastTo(input, shape), gradFunc: (dy: tf.Tensor) => tf.reshape(tf.sum(dy, axes), input.shape) };
    });
    return run(x) as tf.Tensor;
  };
};

/** InstanceNormalization: each (n, c) slice over the remaining axes, (x - mean) / sqrt(var + eps) * scale[c] + bias[c]. */
const instanceNorm: TfjsOpCompiler = (ctx) => {
  const eps = attrFloat(ctx.node.attrs, 'epsilon', 1e-5);
  return (ins) => {
    const [x, scale, bias] = ins;
    const axes = Array.from({ length: x.rank - 2 }, (_, i) => i + 2);
    const { mean, variance } = tf.moments(x, axes, true);
    const column = [scale.shape[0], ...axes.map(() => 1)];
    const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, tf.reshape(scale, column)), tf.reshape(bias, column));
  };
};

/** The tfjs rows of the U-Net's ops. */
export const TFJS_IMAGE_OP_ROWS: readonly (readonly [string, TfjsOpCompiler])[] = [
  ['Conv', conv],
  ['Einsum', einsum],
  ['Softmax', () => (ins) => tf.softmax(ins[0])],
  ['Expand', expand],
  ['InstanceNormalization', instanceNorm],
];
