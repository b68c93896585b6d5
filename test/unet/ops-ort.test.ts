// The U-Net's op rows (Conv, ConvTranspose, Einsum, Softmax, Expand, InstanceNormalization, Pad): the reference evaluator equals ONNX Runtime.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, evaluateGraph, float, floatTensor, int, int64Tensor, ints, str, type Attrs, type Tensor } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { Rng } from '../../src-core/rng';
import { runOrt } from '../onnx/ort-helpers';

interface Case {
  readonly name: string;
  readonly op: string;
  /** Shapes of the float inputs, fed at run time. */
  readonly shapes: readonly (readonly number[])[];
  readonly attrs?: Attrs;
  /** An int64 constant appended as the last input (Expand's shape, Pad's pads). */
  readonly shape?: readonly number[];
  /** Added to every float input: an offset far above the spread tests a normalisation's centring. */
  readonly offset?: number;
}

const pad1 = ints([1, 1, 1, 1]);
const CASES: readonly Case[] = [
  { name: 'Conv 3x3 same, bias', op: 'Conv', shapes: [[2, 3, 6, 5], [4, 3, 3, 3], [4]], attrs: { pads: pad1 } },
  { name: 'Conv 3x3 stride 2, odd size', op: 'Conv', shapes: [[2, 3, 7, 6], [4, 3, 3, 3], [4]], attrs: { pads: pad1, strides: ints([2, 2]) } },
  { name: 'Conv 1x1', op: 'Conv', shapes: [[1, 5, 3, 3], [2, 5, 1, 1]] },
  { name: 'Conv dilated, asymmetric pads (weight-gradient form)', op: 'Conv', shapes: [[3, 2, 7, 6], [4, 2, 3, 3]], attrs: { pads: ints([1, 0, 2, 1]), dilations: ints([2, 2]) } },
  { name: 'ConvTranspose stride 2, output_padding', op: 'ConvTranspose', shapes: [[2, 4, 4, 3], [4, 3, 3, 3]], attrs: { pads: pad1, strides: ints([2, 2]), output_padding: ints([1, 0]) } },
  { name: 'ConvTranspose stride 1, bias', op: 'ConvTranspose', shapes: [[1, 2, 5, 5], [2, 3, 3, 3], [3]], attrs: { pads: pad1 } },
  { name: 'Einsum scores', op: 'Einsum', shapes: [[2, 4, 6], [2, 4, 5]], attrs: { equation: str('bci,bcj->bij') } },
  { name: 'Einsum mix', op: 'Einsum', shapes: [[2, 6, 5], [2, 4, 5]], attrs: { equation: str('bij,bcj->bci') } },
  { name: 'Einsum batch-contracted', op: 'Einsum', shapes: [[3, 4, 5], [3, 2, 5]], attrs: { equation: str('nmp,nkp->mk') } },
  { name: 'Softmax', op: 'Softmax', shapes: [[2, 3, 7]], attrs: { axis: int(-1) } },
  { name: 'Expand rank 6 (nearest upsampling)', op: 'Expand', shapes: [[2, 3, 2, 1, 3, 1]], shape: [1, 1, 1, 2, 1, 2] },
  { name: 'Expand whole rows', op: 'Expand', shapes: [[2, 3, 4, 1, 6]], shape: [1, 1, 1, 2, 1] },
  { name: 'InstanceNormalization, group norm form', op: 'InstanceNormalization', shapes: [[3, 4, 72], [4], [4]], attrs: { epsilon: float(1e-5) } },
  { name: 'InstanceNormalization 4-D, offset data', op: 'InstanceNormalization', shapes: [[2, 3, 5, 4], [3], [3]], offset: 20 },
  { name: 'Pad', op: 'Pad', shapes: [[2, 3, 4, 5]], shape: [0, 0, 1, 2, 0, 1, 2, 0] },
];

describe('U-Net op rows: reference evaluator equals ONNX Runtime', () => {
  CASES.forEach((c, k) => {
    it(c.name, async () => {
      const rng = new Rng(50 + k);
      const b = new GraphBuilder(`op${k}`);
      const feeds: Record<string, Tensor> = {};
      const names = c.shapes.map((shape, i) => {
        feeds[`in${i}`] = floatTensor(rng.fillNormal(new Float32Array(shape.reduce((p, d) => p * d, 1))).map((v) => v + (c.offset ?? 0)), shape);
        return b.input(`in${i}`, 'float32', shape);
      });
      if (c.shape) names.push(b.constant('shape', int64Tensor(c.shape, [c.shape.length])));
      b.output(b.node(c.op, names, { attrs: c.attrs ?? {}, name: 'out' }));
      const graph = b.build().graph;
      const want = evaluateGraph(graph, new Float32Array(0), feeds).out;
      const got = (await runOrt(writeOnnx(graph, new Float32Array(0)), feeds)).out;
      expect(got).toHaveLength(want.data.length);
      const scale = Math.max(...Array.from(want.data as Float32Array, Math.abs));
      const err = Math.max(...Array.from(want.data as Float32Array, (w, i) => Math.abs(w - got[i])));
      // float32 sums of at most ~100 terms of unit size: a few ulps of the output's scale
      expect(err / scale).toBeLessThan(1e-6);
    });
  });
});
