// Conv row: 2-D convolution over NCHW with strides, explicit pads and dilations (group 1, optional bias), plus the geometry ConvTranspose shares.
import { StudioError } from '../../errors';
import { attrInt, attrInts } from '../attrs';
import { asFloat, formatShape } from '../tensor';
import { expectDtype, shapeError, type InferContext, type OpDef } from '../op-def';
import type { Attrs, Dim, FloatTensor, ValueType } from '../types';

/** Kernel size, strides, dilations and pads (ONNX order: top, left, bottom, right) of one 2-D convolution. */
export interface ConvGeometry {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  readonly pt: number;
  readonly pl: number;
  readonly pb: number;
  readonly pr: number;
}

function pair(attrs: Attrs, name: string, fallback: number, length = 2): readonly number[] {
  const v = attrInts(attrs, name) ?? Array.from({ length }, () => fallback);
  if (v.length !== length || v.some((x) => !Number.isInteger(x))) throw new StudioError('invalid-argument', `${name} must hold ${length} integers, got [${v.join(', ')}]`);
  return v;
}

/** Reads and checks a 2-D convolution's attributes against the kernel's spatial size. */
export function convGeometry(attrs: Attrs, kh: number, kw: number): ConvGeometry {
  if (attrInt(attrs, 'group', 1) !== 1) throw new StudioError('invalid-argument', 'only group = 1 is supported');
  const ks = attrInts(attrs, 'kernel_shape');
  if (ks && (ks.length !== 2 || ks[0] !== kh || ks[1] !== kw)) throw new StudioError('invalid-argument', `kernel_shape [${ks.join(', ')}] differs from the weight's [${kh}, ${kw}]`);
  const [sh, sw] = pair(attrs, 'strides', 1);
  const [dh, dw] = pair(attrs, 'dilations', 1);
  const [pt, pl, pb, pr] = pair(attrs, 'pads', 0, 4);
  if (Math.min(sh, sw, dh, dw) < 1) throw new StudioError('invalid-argument', 'strides and dilations must be at least 1');
  if (Math.min(pt, pl, pb, pr) < 0) throw new StudioError('invalid-argument', 'pads must not be negative');
  return { kh, kw, sh, sw, dh, dw, pt, pl, pb, pr };
}

/** Output height and width of a convolution of an H x W input. */
export function convOutputSize(g: ConvGeometry, h: number, w: number): [number, number] {
  const oh = Math.floor((h + g.pt + g.pb - ((g.kh - 1) * g.dh + 1)) / g.sh) + 1;
  const ow = Math.floor((w + g.pl + g.pr - ((g.kw - 1) * g.dw + 1)) / g.sw) + 1;
  return [oh, ow];
}

/** Checks X [N, C, H, W], W [M, C', kh, kw] and an optional bias [M]; returns the fixed sizes rule and kernels use. */
export function checkConvInputs(ctx: InferContext, weightChannelAxis: 0 | 1): { h: number; w: number; kh: number; kw: number } {
  const { node, inputs } = ctx;
  inputs.forEach((_, i) => expectDtype(ctx, i, 'float32'));
  const [x, w] = inputs;
  if (x.shape.length !== 4 || w.shape.length !== 4) shapeError(node, `X and W must be 4-D (NCHW), got ${formatShape(x.shape)} and ${formatShape(w.shape)}`);
  const [h, wd] = x.shape.slice(2);
  const [kh, kw] = w.shape.slice(2);
  if (typeof h !== 'number' || typeof wd !== 'number' || typeof kh !== 'number' || typeof kw !== 'number') shapeError(node, 'spatial sizes of X and W must be fixed');
  if (x.shape[1] !== w.shape[weightChannelAxis]) shapeError(node, `X has ${x.shape[1]} channels but W ${formatShape(w.shape)} expects ${w.shape[weightChannelAxis]}`);
  if (inputs.length === 3) {
    const outChannels = w.shape[1 - weightChannelAxis];
    const b = inputs[2].shape;
    if (b.length !== 1 || b[0] !== outChannels) shapeError(node, `bias must be [${outChannels}], got ${formatShape(b)}`);
  }
  return { h, w: wd, kh, kw };
}

/** Output type of a 2-D convolution-like node: [N, M, oh, ow]. */
export function convOutputType(x: ValueType, m: Dim, oh: number, ow: number): ValueType[] {
  if (oh < 1 || ow < 1) throw new StudioError('invalid-shape', `the convolution's output would be ${oh} x ${ow}`);
  return [{ dtype: 'float32', shape: [x.shape[0], m, oh, ow] }];
}

function conv(x: FloatTensor, wt: FloatTensor, bias: FloatTensor | undefined, g: ConvGeometry): FloatTensor {
  const [n, c, h, w] = x.shape;
  const m = wt.shape[0];
  const [oh, ow] = convOutputSize(g, h, w);
  const out = new Float32Array(n * m * oh * ow);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < m; k++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let acc = bias ? bias.data[k] : 0; // double accumulation: the reference is the more exact side
          for (let ch = 0; ch < c; ch++) {
            for (let i = 0; i < g.kh; i++) {
              const iy = oy * g.sh - g.pt + i * g.dh;
              if (iy < 0 || iy >= h) continue;
              for (let j = 0; j < g.kw; j++) {
                const ix = ox * g.sw - g.pl + j * g.dw;
                if (ix < 0 || ix >= w) continue;
                acc += x.data[((b * c + ch) * h + iy) * w + ix] * wt.data[((k * c + ch) * g.kh + i) * g.kw + j];
              }
            }
          }
          out[o++] = acc;
        }
      }
    }
  }
  return { dtype: 'float32', shape: [n, m, oh, ow], data: out };
}

/** The Conv row of the op table. */
export const convOp: OpDef = {
  op: 'Conv',
  arity: [2, 3],
  attrs: ['dilations', 'group', 'kernel_shape', 'pads', 'strides'],
  infer(ctx) {
    const { h, w, kh, kw } = checkConvInputs(ctx, 1);
    const [oh, ow] = convOutputSize(convGeometry(ctx.node.attrs, kh, kw), h, w);
    return convOutputType(ctx.inputs[0], ctx.inputs[1].shape[0], oh, ow);
  },
  evaluate(inputs, attrs) {
    const x = asFloat(inputs[0], 'Conv X');
    const w = asFloat(inputs[1], 'Conv W');
    const b = inputs[2] ? asFloat(inputs[2], 'Conv B') : undefined;
    return [conv(x, w, b, convGeometry(attrs, w.shape[2], w.shape[3]))];
  },
};
