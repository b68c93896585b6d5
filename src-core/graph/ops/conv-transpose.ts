// ConvTranspose row: the adjoint of Conv over NCHW (W [C, M, kh, kw]), with output_padding; the input gradient of a convolution.
import { StudioError } from '../../errors';
import { attrInts } from '../attrs';
import { asFloat } from '../tensor';
import { shapeError, type OpDef } from '../op-def';
import type { Attrs, FloatTensor } from '../types';
import { checkConvInputs, convGeometry, convOutputType, type ConvGeometry } from './conv';

function outputPadding(attrs: Attrs, g: ConvGeometry): [number, number] {
  const v = attrInts(attrs, 'output_padding') ?? [0, 0];
  if (v.length !== 2) throw new StudioError('invalid-argument', `output_padding must hold 2 integers, got [${v.join(', ')}]`);
  // ONNX requires output_padding below the stride or the dilation
  if (v[0] < 0 || v[1] < 0 || v[0] >= Math.max(g.sh, g.dh) || v[1] >= Math.max(g.sw, g.dw)) throw new StudioError('invalid-argument', `output_padding [${v.join(', ')}] must be below the strides`);
  return [v[0], v[1]];
}

/** Output height and width of a transposed convolution of an H x W input. */
function convTransposeOutputSize(g: ConvGeometry, op: readonly [number, number], h: number, w: number): [number, number] {
  const oh = g.sh * (h - 1) + op[0] + (g.kh - 1) * g.dh + 1 - g.pt - g.pb;
  const ow = g.sw * (w - 1) + op[1] + (g.kw - 1) * g.dw + 1 - g.pl - g.pr;
  return [oh, ow];
}

function convTranspose(x: FloatTensor, wt: FloatTensor, bias: FloatTensor | undefined, g: ConvGeometry, op: readonly [number, number]): FloatTensor {
  const [n, c, h, w] = x.shape;
  const m = wt.shape[1];
  const [oh, ow] = convTransposeOutputSize(g, op, h, w);
  const acc = new Float64Array(n * m * oh * ow);
  // scatter form: every input element adds its kernel-weighted copy into the output window it came from
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let iy = 0; iy < h; iy++) {
        for (let ix = 0; ix < w; ix++) {
          const v = x.data[((b * c + ch) * h + iy) * w + ix];
          for (let k = 0; k < m; k++) {
            for (let i = 0; i < g.kh; i++) {
              const oy = iy * g.sh + i * g.dh - g.pt;
              if (oy < 0 || oy >= oh) continue;
              for (let j = 0; j < g.kw; j++) {
                const ox = ix * g.sw + j * g.dw - g.pl;
                if (ox < 0 || ox >= ow) continue;
                acc[((b * m + k) * oh + oy) * ow + ox] += v * wt.data[((ch * m + k) * g.kh + i) * g.kw + j];
              }
            }
          }
        }
      }
    }
  }
  const out = new Float32Array(acc.length);
  const plane = oh * ow;
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] + (bias ? bias.data[Math.floor(i / plane) % m] : 0);
  return { dtype: 'float32', shape: [n, m, oh, ow], data: out };
}

/** The ConvTranspose row of the op table (explicit pads; output_shape and auto_pad are not accepted). */
export const convTransposeOp: OpDef = {
  op: 'ConvTranspose',
  arity: [2, 3],
  attrs: ['dilations', 'group', 'kernel_shape', 'output_padding', 'pads', 'strides'],
  infer(ctx) {
    const { h, w, kh, kw } = checkConvInputs(ctx, 0);
    const g = convGeometry(ctx.node.attrs, kh, kw);
    const [oh, ow] = convTransposeOutputSize(g, outputPadding(ctx.node.attrs, g), h, w);
    if (typeof ctx.inputs[1].shape[1] !== 'number') shapeError(ctx.node, 'the output channels of W must be fixed');
    return convOutputType(ctx.inputs[0], ctx.inputs[1].shape[1], oh, ow);
  },
  evaluate(inputs, attrs) {
    const x = asFloat(inputs[0], 'ConvTranspose X');
    const w = asFloat(inputs[1], 'ConvTranspose W');
    const b = inputs[2] ? asFloat(inputs[2], 'ConvTranspose B') : undefined;
    const g = convGeometry(attrs, w.shape[2], w.shape[3]);
    return [convTranspose(x, w, b, g, outputPadding(attrs, g))];
  },
};
