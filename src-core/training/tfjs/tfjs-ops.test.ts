// The tfjs op table maps every op of the graph op table once, and a graph using an unmapped op fails before it runs.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../errors';
import { GraphBuilder } from '../../graph/builder';
import { buildMlp } from '../../graph/families/mlp';
import { OP_ROWS } from '../../graph/ops';
import { int64Tensor } from '../../graph/tensor';
import type { Graph } from '../../graph/types';
import { Registry } from '../../registry';
import { checkTfjsOps, graphToTfjs } from './graph-to-tfjs';
import { TFJS_OP_ROWS, tfjsOpTable, type TfjsOpCompiler } from './tfjs-ops';

describe('the tfjs op table', () => {
  it('maps every op the model families use, and only ops of the graph op table', () => {
    const variants = [
      buildMlp({ dataDim: 2, hidden: [4, 4], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, residual: true, activation: 'relu' }),
      buildMlp({ dataDim: 3, hidden: [4], timeEmbedding: { kind: 'fourier', dim: 4, scale: 1 }, classes: 2, activation: 'tanh' }),
      buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: { kind: 'raw' } }),
    ];
    for (const m of variants) expect(() => checkTfjsOps(m.graph)).not.toThrow();
    const known = new Set(OP_ROWS.map((r) => r.op));
    expect(tfjsOpTable.names().filter((op) => !known.has(op))).toEqual([]);
    expect(TFJS_OP_ROWS.length).toBe(tfjsOpTable.names().length);
  });
  it('refuses a second row for an op', () => {
    const table = new Registry<TfjsOpCompiler>('tfjs op');
    table.register('Add', TFJS_OP_ROWS[0][1]);
    expect(() => table.register('Add', TFJS_OP_ROWS[0][1])).toThrow(/already registered/);
  });
  it('names every unmapped op and a node using it', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', ['N', 2]);
    b.output(b.node('Relu', [b.node('Neg', [x])]));
    const { graph } = b.build();
    const table = new Registry<TfjsOpCompiler>('tfjs op');
    table.register('Neg', TFJS_OP_ROWS[0][1]);
    expect(() => checkTfjsOps(graph, table)).toThrow(StudioError);
    expect(() => graphToTfjs(graph, { table })).toThrow(/do not map: Relu \(node '.+'\)/);
  });
  it('evaluates shape ops, reductions and negative Gather indices as ONNX does', async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    const b = new GraphBuilder('shapes');
    const x = b.input('x', 'float32', [2, 3]);
    const idx = b.input('i', 'int64', [2]);
    const r = b.node('Reshape', [x, b.constant('shape', int64Tensor([0, 3, 1], [3]))]);
    const tr = b.node('Transpose', [r]);
    const s = b.node('ReduceSum', [tr, b.constant('axes', int64Tensor([0], [1]))], { attrs: {} });
    const g = b.node('Gather', [x, idx]);
    const m = b.node('ReduceMean', [g]);
    b.output(b.node('Add', [s, m]));
    const graph: Graph = b.build().graph;
    const compiled = graphToTfjs(graph);
    const out = tf.tidy(() =>
      compiled.run(new Map(), { x: tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), i: tf.tensor1d([-1, 0], 'int32') }).arraySync(),
    );
    compiled.dispose();
    // Transpose of [2, 3, 1] is [1, 3, 2]; summing axis 0 keeps [1, 3, 2]; the mean of all of x is 3.5
    expect(out).toEqual([[[4.5, 7.5], [5.5, 8.5], [6.5, 9.5]]]);
  });
});
