// Gradient rule of Conv: dX by ConvTranspose with W, dW by a Conv that swaps the roles of batch and channels, dB by a sum.
import { StudioError } from '../../errors';
import { int, ints } from '../../graph/attrs';
import { convGeometry, convOutputSize, type ConvGeometry } from '../../graph/ops/conv';
import type { GradContext, GradRule } from '../grad-rule';

const SWAP_01 = ints([1, 0, 2, 3]);

function geometry(c: GradContext): { g: ConvGeometry; h: number; w: number } {
  const [kh, kw] = c.inputType(1).shape.slice(2) as number[];
  const g = convGeometry(c.node.attrs, kh, kw);
  if (g.dh !== 1 || g.dw !== 1) throw new StudioError('invalid-argument', `the gradient of Conv node '${c.node.name}' needs dilations 1`);
  const [h, w] = c.inputType(0).shape.slice(2) as number[];
  return { g, h, w };
}

const pads = (g: ConvGeometry) => ints([g.pt, g.pl, g.pb, g.pr]);

/** dX = ConvTranspose(dY, W) with the forward strides and pads; output_padding restores rows a stride dropped. */
function inputGrad(c: GradContext): string {
  const { g, h, w } = geometry(c);
  const [oh, ow] = convOutputSize(g, h, w);
  const extra = [h - (g.sh * (oh - 1) + g.kh - g.pt - g.pb), w - (g.sw * (ow - 1) + g.kw - g.pl - g.pr)];
  const attrs = { strides: ints([g.sh, g.sw]), pads: pads(g), ...(extra.some((v) => v > 0) ? { output_padding: ints(extra) } : {}) };
  return c.e.op('ConvTranspose', [c.dy, c.input(1)], attrs);
}

/**
 * dW[m, c, i, j] = sum_{n, y, x} dY[n, m, y, x] Xpad[n, c, s y + i, s x + j]: a Conv of X^T [C, N, H, W] (batch C,
 * channels N) with dY^T [M, N, oh, ow] as kernel, dilated by the stride. Rows past the kernel (left over when the
 * stride does not divide the padded size) are sliced off, then [C, M, kh, kw] is transposed to W's [M, C, kh, kw].
 */
function weightGrad(c: GradContext): string {
  const { g } = geometry(c);
  const xT = c.e.op('Transpose', [c.input(0)], { perm: SWAP_01 });
  const dyT = c.e.op('Transpose', [c.dy], { perm: SWAP_01 });
  let k = c.e.op('Conv', [xT, dyT], { pads: pads(g), dilations: ints([g.sh, g.sw]) });
  const [kh, kw] = c.e.typeOf(k).shape.slice(2);
  if (kh !== g.kh || kw !== g.kw) k = c.e.op('Slice', [k, c.e.ints([0, 0]), c.e.ints([g.kh, g.kw]), c.e.ints([2, 3])]);
  return c.e.op('Transpose', [k], { perm: SWAP_01 });
}

/** The Conv row of the gradient table. */
export const convGradRule: GradRule = {
  op: 'Conv',
  inputsToSave: [0, 1],
  saveOutput: false,
  vjp: [inputGrad, weightGrad, (c) => c.e.op('ReduceSum', [c.dy, c.e.ints([0, 2, 3])], { keepdims: int(0) })],
};

