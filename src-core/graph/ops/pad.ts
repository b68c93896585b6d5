// Pad row: constant-mode padding with constant, non-negative pads (ONNX opset 11+ form: pads and the value are inputs).
import { StudioError } from '../../errors';
import { asFloat, asInt64, int64Values, sizeOf, stridesOf } from '../tensor';
import { expectDtype, shapeError, type OpDef } from '../op-def';
import type { Attrs, Dim, FloatTensor, Tensor } from '../types';

/** Splits ONNX's pads [b_0, ..., b_{r-1}, e_0, ..., e_{r-1}] into per-axis (before, after) and checks them. */
function padPairs(pads: readonly number[], rank: number): [number, number][] {
  if (pads.length !== 2 * rank) throw new StudioError('invalid-argument', `Pad needs ${2 * rank} pads for rank ${rank}, got ${pads.length}`);
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) throw new StudioError('invalid-argument', `pads must be non-negative integers, got [${pads.join(', ')}]`);
  return Array.from({ length: rank }, (_, i) => [pads[i], pads[i + rank]]);
}

function checkMode(attrs: Attrs): void {
  const mode = attrs.mode;
  if (mode && (mode.kind !== 'string' || mode.value !== 'constant')) throw new StudioError('invalid-argument', `only Pad mode 'constant' is supported`);
}

function pad(x: FloatTensor, pairs: readonly [number, number][], value: number): FloatTensor {
  const shape = x.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]);
  const out = new Float32Array(sizeOf(shape)).fill(value);
  const inStrides = stridesOf(x.shape);
  const outStrides = stridesOf(shape);
  for (let i = 0; i < x.data.length; i++) {
    let r = i;
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const q = Math.floor(r / inStrides[d]);
      r -= q * inStrides[d];
      o += (q + pairs[d][0]) * outStrides[d];
    }
    out[o] = x.data[i];
  }
  return { dtype: 'float32', shape, data: out };
}

/** The Pad row of the op table (float32 data; the optional value input must be a scalar). */
export const padOp: OpDef = {
  op: 'Pad',
  arity: [2, 3],
  attrs: ['mode'],
  infer(ctx) {
    checkMode(ctx.node.attrs);
    expectDtype(ctx, 0, 'float32');
    expectDtype(ctx, 1, 'int64');
    if (ctx.inputs.length === 3) {
      expectDtype(ctx, 2, 'float32');
      if (ctx.inputs[2].shape.length !== 0) shapeError(ctx.node, 'the pad value must be a scalar');
    }
    const p = ctx.constant(1);
    if (!p) shapeError(ctx.node, 'pads must be a graph constant');
    const x = ctx.inputs[0].shape;
    const pairs = padPairs(int64Values(asInt64(p, 'Pad pads')), x.length);
    const shape: Dim[] = x.map((d, i) => {
      const [b, e] = pairs[i];
      if (b === 0 && e === 0) return d;
      if (typeof d !== 'number') shapeError(ctx.node, `cannot pad symbolic dimension '${d}'`);
      return d + b + e;
    });
    return [{ dtype: 'float32', shape }];
  },
  evaluate(inputs: readonly Tensor[], attrs) {
    checkMode(attrs);
    const x = asFloat(inputs[0], 'Pad data');
    const value = inputs[2] ? asFloat(inputs[2], 'Pad value').data[0] : 0;
    return [pad(x, padPairs(int64Values(asInt64(inputs[1], 'Pad pads')), x.shape.length), value)];
  },
};

/** Pads of a Pad node as (before, after) per axis, or undefined for a non-constant pads input. */
export function padPairsOf(pads: Tensor | undefined, rank: number): [number, number][] | undefined {
  return pads ? padPairs(int64Values(asInt64(pads, 'Pad pads')), rank) : undefined;
}
