// The reference evaluator: a small graph by hand, input binding and its errors.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { GraphBuilder } from './builder';
import { evaluateGraph } from './evaluate';
import { floatTensor, int64Tensor } from './tensor';

function affineSilu() {
  const b = new GraphBuilder('g');
  const x = b.input('x', 'float32', ['N', 2]);
  const s = b.input('s', 'float32', ['N']);
  const w = b.param('w', [2, 1], { kind: 'zeros' });
  const bias = b.param('b', [1], { kind: 'zeros' });
  const h = b.node('Gemm', [x, w, bias]);
  const axes = b.constant('axes', int64Tensor([1], [1]));
  const scaled = b.node('Mul', [h, b.node('Unsqueeze', [s, axes])]);
  b.output(b.node('Mul', [scaled, b.node('Sigmoid', [scaled])], { name: 'out' }));
  return b.build();
}

describe('evaluateGraph', () => {
  it('computes silu(s * (x @ w + b)) by hand', () => {
    const { graph } = affineSilu();
    const params = new Float32Array([1, -1, 0.5]);
    const out = evaluateGraph(graph, params, { x: floatTensor([1, 2, 3, 1], [2, 2]), s: floatTensor([2, 1], [2]) }).out;
    expect(out.shape).toEqual([2, 1]);
    // rows: 2 * (1 - 2 + 0.5) = -1, 1 * (3 - 1 + 0.5) = 2.5
    const silu = (v: number) => v / (1 + Math.exp(-v));
    expect(out.data[0]).toBeCloseTo(silu(-1), 6);
    expect(out.data[1]).toBeCloseTo(silu(2.5), 6);
  });
  it('checks inputs, symbols and the parameter buffer', () => {
    const { graph } = affineSilu();
    const p = new Float32Array(3);
    const x = floatTensor([1, 2, 3, 1], [2, 2]);
    expect(() => evaluateGraph(graph, p, { x })).toThrow(/missing input 's'/);
    expect(() => evaluateGraph(graph, p, { x, s: floatTensor([1, 2, 3], [3]) })).toThrow(/'N' is 2/);
    expect(() => evaluateGraph(graph, p, { x: floatTensor([1, 2, 3], [1, 3]), s: floatTensor([1], [1]) })).toThrow(StudioError);
    expect(() => evaluateGraph(graph, p, { x, s: int64Tensor([1, 2], [2]) })).toThrow(/float32/);
    expect(() => evaluateGraph(graph, new Float32Array(2), { x, s: floatTensor([1, 2], [2]) })).toThrow(/3 parameters/);
    expect(() => evaluateGraph(graph, p, { x, s: floatTensor([1, 2], [2]), z: floatTensor([1], [1]) })).toThrow(/no input 'z'/);
  });
  it('tensor constructors check shapes', () => {
    expect(() => floatTensor([1, 2, 3], [2, 2])).toThrow(StudioError);
    expect(() => int64Tensor([1.5], [1])).toThrow(StudioError);
  });
});
