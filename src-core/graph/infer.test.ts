// Whole-graph checks: undefined values, duplicate names, parameter views, declared outputs.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { GraphBuilder } from './builder';
import { inferGraph } from './infer';
import type { Graph } from './types';

function small(): Graph {
  const b = new GraphBuilder('g');
  const x = b.input('x', 'float32', ['N', 3]);
  const w = b.param('w', [3, 2], { kind: 'zeros' });
  const bias = b.param('b', [2], { kind: 'zeros' });
  b.output(b.node('Gemm', [x, w, bias], { name: 'y' }));
  return b.build().graph;
}

describe('inferGraph', () => {
  it('types every value with the symbolic batch', () => {
    const types = inferGraph(small());
    expect(types.get('y')).toEqual({ dtype: 'float32', shape: ['N', 2] });
    expect(types.get('w')).toEqual({ dtype: 'float32', shape: [3, 2] });
  });
  it('rejects a node reading an undefined value', () => {
    const g = small();
    const broken: Graph = { ...g, nodes: [{ ...g.nodes[0], inputs: ['x', 'nope', 'b'] }] };
    expect(() => inferGraph(broken)).toThrow(/'nope'/);
  });
  it('rejects duplicate names and empty names', () => {
    const g = small();
    expect(() => inferGraph({ ...g, inputs: [...g.inputs, g.inputs[0]] })).toThrow(/defined twice/);
    expect(() => inferGraph({ ...g, constants: [{ name: '', tensor: { dtype: 'float32', shape: [], data: new Float32Array(1) } }] })).toThrow(StudioError);
  });
  it('rejects parameter views outside the buffer or overlapping', () => {
    const g = small();
    expect(() => inferGraph({ ...g, paramSize: 7 })).toThrow(/outside/);
    expect(() => inferGraph({ ...g, params: [g.params[0], { ...g.params[1], offset: 5 }] })).toThrow(/overlap/);
  });
  it('checks declared outputs', () => {
    const g = small();
    expect(() => inferGraph({ ...g, outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 3] }] })).toThrow(/declared/);
    expect(() => inferGraph({ ...g, outputs: [{ name: 'z', dtype: 'float32', shape: ['N', 2] }] })).toThrow(/never computed/);
  });
  it('builder refuses a node that does not type-check, at once', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', ['N', 3]);
    const w = b.param('w', [4, 2], { kind: 'zeros' });
    expect(() => b.node('Gemm', [x, w])).toThrow(StudioError);
    expect(() => b.input('x', 'float32', [1])).toThrow(/already defined/);
  });
});
