// The Conv rule's weight gradient in ONNX Runtime against a direct float64 sum, and its emission: one Conv (dX) per conv.
import { describe, expect, it } from 'vitest';
import { floatTensor, ints, type Attrs, type Tensor } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { Rng } from '../../src-core/rng';
import { Emitter, emitBackprop } from '../../src-core/training-graph';
import { runOrt } from '../onnx/ort-helpers';

interface Case {
  readonly name: string;
  /** X [N, C, H, W] and W [M, C, kh, kw]; stride 1. */
  readonly x: readonly [number, number, number, number];
  readonly w: readonly [number, number, number, number];
  /** Top, left, bottom, right. */
  readonly pads: readonly [number, number, number, number];
}

// the shapes where dW comes from shifted dY (3 M <= C) and one where it comes from windows of X
const CASES: readonly Case[] = [
  { name: '3x3 same, 3 M = C', x: [3, 6, 7, 5], w: [2, 6, 3, 3], pads: [1, 1, 1, 1] },
  { name: '3x2 uneven pads, one output channel', x: [2, 3, 5, 6], w: [1, 3, 3, 2], pads: [0, 1, 2, 0] },
  { name: '1x1, 4 M = C', x: [2, 8, 3, 4], w: [2, 8, 1, 1], pads: [0, 0, 0, 0] },
  { name: '3x3 same, M = C (windows of X)', x: [2, 3, 5, 4], w: [3, 3, 3, 3], pads: [1, 1, 1, 1] },
];

/** dW[m, c, i, j] = sum over n, y, x of dY[n, m, y, x] X[n, c, y + i - pt, x + j - pl] (zero outside X), in float64. */
function directWeightGrad(c: Case, x: Float32Array, dy: Float32Array, oh: number, ow: number): Float64Array {
  const [n, cin, h, w] = c.x;
  const [m, , kh, kw] = c.w;
  const out = new Float64Array(m * cin * kh * kw);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < cin; b++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          let s = 0;
          for (let p = 0; p < n; p++)
            for (let y = 0; y < oh; y++)
              for (let q = 0; q < ow; q++) {
                const u = y + i - c.pads[0];
                const v = q + j - c.pads[1];
                if (u >= 0 && u < h && v >= 0 && v < w) s += dy[((p * m + a) * oh + y) * ow + q] * x[((p * cin + b) * h + u) * w + v];
              }
          out[((a * cin + b) * kh + i) * kw + j] = s;
        }
  return out;
}

describe('Conv rule: weight gradient in ONNX Runtime', () => {
  CASES.forEach((c, k) => {
    it(c.name, async () => {
      const rng = new Rng(70 + k);
      const [n, , h, w] = c.x;
      const [m, , kh, kw] = c.w;
      const [oh, ow] = [h + c.pads[0] + c.pads[2] - kh + 1, w + c.pads[1] + c.pads[3] - kw + 1];
      const e = new Emitter(`conv-rule${k}`);
      const x = e.b.input('x', 'float32', ['N', ...c.x.slice(1)]);
      const wt = e.b.input('w', 'float32', [...c.w]);
      const attrs: Attrs = { pads: ints([c.pads[0], c.pads[1], c.pads[2], c.pads[3]]) };
      const out = e.op('Conv', [x, wt], attrs, 'y');
      const dy = e.b.input('dy', 'float32', ['N', m, oh, ow]);
      const node = { name: 'y', op: 'Conv', inputs: [x, wt], outputs: [out], attrs };
      const grads = emitBackprop(e, [node], new Map([[out, dy]]), [wt]);
      const dw = grads.get(wt) as string;
      e.b.output(dw);
      const graph = e.b.build().graph;
      // the forward Conv and the gradient's: dX is not asked for, so any Conv past the forward one computes dW
      // (a one-hot shift Conv that ONNX Runtime runs in its blocked layout, padding its channels to 16)
      expect(graph.nodes.filter((v) => v.op === 'Conv' && v.name !== 'y')).toHaveLength(0);
      const feeds: Record<string, Tensor> = {
        x: floatTensor(rng.fillNormal(new Float32Array(c.x.reduce((p, d) => p * d, 1))), [...c.x]),
        w: floatTensor(rng.fillNormal(new Float32Array(c.w.reduce((p, d) => p * d, 1))), [...c.w]),
        dy: floatTensor(rng.fillNormal(new Float32Array(n * m * oh * ow)), [n, m, oh, ow]),
      };
      const got = (await runOrt(writeOnnx(graph, new Float32Array(0)), feeds))[dw];
      const want = directWeightGrad(c, feeds.x.data as Float32Array, feeds.dy.data as Float32Array, oh, ow);
      expect(got).toHaveLength(want.length);
      const scale = Math.max(...Array.from(want, Math.abs));
      const err = Math.max(...Array.from(want, (v, i) => Math.abs(v - got[i])));
      // float32 sums of a few hundred unit-size terms
      expect(err / scale).toBeLessThan(1e-5);
    });
  });
});
