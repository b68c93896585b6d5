// The op rows added for the training step (Slice, Expand, Shape, Cast, OneHot, Sign, Min, Max, ReduceSumSquare): evaluator equals ONNX Runtime.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, evaluateGraph, floatTensor, int, ints, int64Tensor, type Attrs, type Tensor } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { Rng } from '../../src-core/rng';
import { runOrt } from '../onnx/ort-helpers';

interface Case {
  readonly name: string;
  readonly build: (b: GraphBuilder, x: string) => string;
}

const c64 = (b: GraphBuilder, name: string, v: readonly number[], shape = [v.length]) => b.constant(name, int64Tensor(v, shape));
const one = (op: string, attrs: Attrs = {}) => (b: GraphBuilder, x: string, more: string[] = []) => b.node(op, [x, ...more], { attrs, name: 'out' });

const CASES: readonly Case[] = [
  { name: 'Slice two axes, negative end', build: (b, x) => b.node('Slice', [x, c64(b, 's', [1, 0]), c64(b, 'e', [-1, 2]), c64(b, 'a', [1, 0])], { name: 'out' }) },
  { name: 'Slice with steps', build: (b, x) => b.node('Slice', [x, c64(b, 's', [0, 1]), c64(b, 'e', [3, 4]), c64(b, 'a', [0, 1]), c64(b, 'st', [2, 2])], { name: 'out' }) },
  { name: 'Expand', build: (b, x) => b.node('Expand', [b.node('ReduceSum', [x, c64(b, 'ax', [1])], { attrs: { keepdims: int(1) } }), c64(b, 'sh', [1, 4])], { name: 'out' }) },
  { name: 'Shape + Cast', build: (b, x) => b.node('Cast', [b.node('Shape', [x])], { attrs: { to: int(1) }, name: 'out' }) },
  {
    name: 'OneHot with a negative index',
    build: (b) => {
      const idx = b.constant('idx', int64Tensor([0, 2, -1, 1], [4]));
      return b.node('OneHot', [idx, b.constant('depth', int64Tensor([3], [])), b.constant('vals', floatTensor([0, 1], [2]))], { attrs: { axis: int(-1) }, name: 'out' });
    },
  },
  { name: 'Sign', build: (b, x) => one('Sign')(b, b.node('Relu', [x])) },
  { name: 'Min', build: (b, x) => b.node('Min', [x, b.constant('k', floatTensor([0.1, -0.2, 0.3, 0], [4]))], { name: 'out' }) },
  { name: 'Max', build: (b, x) => b.node('Max', [x, b.constant('k', floatTensor([0.1], [1]))], { name: 'out' }) },
  { name: 'ReduceSumSquare axis 1', build: (b, x) => one('ReduceSumSquare', { axes: ints([1]), keepdims: int(0) })(b, x) },
  { name: 'ReduceSumSquare all', build: (b, x) => one('ReduceSumSquare', { keepdims: int(0) })(b, x) },
];

describe('new op rows: reference evaluator equals ONNX Runtime', () => {
  CASES.forEach((c, k) => {
    it(c.name, async () => {
      const b = new GraphBuilder(`row${k}`);
      const x = b.input('x', 'float32', [3, 4]);
      b.output(c.build(b, x));
      const graph = b.build().graph;
      const feeds: Record<string, Tensor> = { x: floatTensor(new Rng(k).fillNormal(new Float32Array(12)), [3, 4]) };
      const want = evaluateGraph(graph, new Float32Array(0), feeds).out;
      const got = (await runOrt(writeOnnx(graph, new Float32Array(0)), feeds)).out;
      expect(Array.from(got)).toHaveLength(want.data.length);
      Array.from(want.data, Number).forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
    });
  });
});
