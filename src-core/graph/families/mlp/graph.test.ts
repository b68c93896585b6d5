// The MLP family: signature, parameter layout, time and label embeddings, residual wiring, bad options.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../errors';
import { Rng } from '../../../rng';
import { evaluateGraph } from '../../evaluate';
import { initParams, paramSlice } from '../../param-layout';
import { floatTensor, int64Tensor } from '../../tensor';
import { valuesOf } from '../../ops/op-test-kit';
import { buildMlp } from './graph';

describe('buildMlp', () => {
  it('the reference MLP 3->256->256->256->2 has the expected signature and layout', () => {
    const m = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
    expect(m.graph.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: ['N', 2] },
      { name: 't', dtype: 'float32', shape: ['N'] },
    ]);
    expect(m.graph.outputs).toEqual([{ name: 'prediction', dtype: 'float32', shape: ['N', 2] }]);
    expect(m.layout.size).toBe(3 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 2 + 2);
    expect(m.layout.entries[0]).toMatchObject({ name: 'layer0.weight', offset: 0, shape: [3, 256] });
    expect(m.graph.nodes.filter((n) => n.op === 'Gemm')).toHaveLength(4);
    expect(m.nullClass).toBeUndefined();
  });
  it('residual adds a skip on every equal-width layer after the first', () => {
    const m = buildMlp({ dataDim: 2, hidden: [64, 64, 32], timeEmbedding: { kind: 'sinusoidal', dim: 8 }, residual: true });
    expect(m.graph.nodes.filter((n) => n.op === 'Add').map((n) => n.name)).toEqual(['layer1.residual']);
  });
  it('sinusoidal features: sin and cos of t times geometric frequencies', () => {
    const m = buildMlp({ dataDim: 1, hidden: [4], timeEmbedding: { kind: 'sinusoidal', dim: 4, maxPeriod: 100 } });
    const freq = m.graph.constants.find((c) => c.name === 'time.frequencies');
    expect(freq && valuesOf(freq.tensor)).toEqual([1, Math.fround(0.1)]);
  });
  it('class conditioning: y int64 [N], a table with a null row, the null label is usable', () => {
    const m = buildMlp({ dataDim: 2, hidden: [16], timeEmbedding: { kind: 'fourier', dim: 8, scale: 1 }, classes: 3, labelEmbeddingDim: 5 });
    expect(m.graph.inputs[2]).toEqual({ name: 'y', dtype: 'int64', shape: ['N'] });
    expect(m.nullClass).toBe(3);
    const table = m.layout.entries.find((e) => e.name === 'label.table');
    expect(table?.shape).toEqual([4, 5]);
    expect(m.layout.entries.find((e) => e.name === 'time.fourier')?.trainable).toBe(false);
    const p = initParams(m.layout, new Rng(3));
    const x = floatTensor([0.1, 0.2, 0.3, 0.4], [2, 2]);
    const t = floatTensor([0.5, 0.5], [2]);
    const out = evaluateGraph(m.graph, p, { x, t, y: int64Tensor([0, 3], [2]) }).prediction;
    expect(out.shape).toEqual([2, 2]);
    expect(() => evaluateGraph(m.graph, p, { x, t, y: int64Tensor([0, 4], [2]) })).toThrow(/out of range/);
    // the label actually matters: another row of the table changes the prediction
    paramSlice(m.layout, p, 'label.table').fill(0, 0, 5);
    const out2 = evaluateGraph(m.graph, p, { x, t, y: int64Tensor([0, 3], [2]) }).prediction;
    expect(out2.data[0]).not.toBe(out.data[0]);
    expect(out2.data[2]).toBe(out.data[2]);
  });
  it('rejects bad options', () => {
    const te = { kind: 'raw' } as const;
    expect(() => buildMlp({ dataDim: 0, hidden: [4], timeEmbedding: te })).toThrow(StudioError);
    expect(() => buildMlp({ dataDim: 2, hidden: [], timeEmbedding: te })).toThrow(/hidden layer/);
    expect(() => buildMlp({ dataDim: 2, hidden: [4.5], timeEmbedding: te })).toThrow(StudioError);
    expect(() => buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: { kind: 'sinusoidal', dim: 7 } })).toThrow(/even/);
    expect(() => buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: te, classes: 0 })).toThrow(StudioError);
  });
});
