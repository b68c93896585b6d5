// Writer round trip through the reader: names, shapes, opset, metadata and initialiser bytes survive.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { GraphBuilder } from '../graph/builder';
import { buildMlp } from '../graph/families/mlp';
import { initParams } from '../graph/param-layout';
import { Rng } from '../rng';
import { ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from './constants';
import { initializerFloat32, readOnnx } from './reader';
import { littleEndianBytes, writeOnnx } from './writer';

const model = buildMlp({ dataDim: 2, hidden: [8, 8], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, residual: true, classes: 2, labelEmbeddingDim: 3 });
const params = initParams(model.layout, new Rng(11));
const metadata = { parameterisation: 'eps', schedule: '{"kind":"vp-cosine"}', data_shape: '[2]', 'studio.version': '0.1.0' };

describe('writeOnnx', () => {
  it('round-trips through readOnnx', () => {
    const info = readOnnx(writeOnnx(model.graph, params, { metadata, producerVersion: '0.1.0' }));
    expect(info.irVersion).toBe(ONNX_IR_VERSION);
    expect(info.opset).toBe(ONNX_OPSET);
    expect(info.producerName).toBe(PRODUCER_NAME);
    expect(info.producerVersion).toBe('0.1.0');
    expect(info.graphName).toBe('mlp');
    expect(info.metadata).toEqual(metadata);
    expect(info.inputs).toEqual([
      { name: 'x', elemType: 'float32', shape: ['N', 2] },
      { name: 't', elemType: 'float32', shape: ['N'] },
      { name: 'y', elemType: 'int64', shape: ['N'] },
    ]);
    expect(info.outputs).toEqual([{ name: 'prediction', elemType: 'float32', shape: ['N', 2] }]);
    expect(info.nodes.map((n) => n.op)).toEqual(model.graph.nodes.map((n) => n.op));
    for (const p of model.layout.entries) {
      const init = info.initializers.find((i) => i.name === p.name);
      expect(init?.dims).toEqual(p.shape);
      const want = params.subarray(p.offset, p.offset + p.shape.reduce((a, b) => a * b, 1));
      expect(init && Array.from(initializerFloat32(init))).toEqual(Array.from(want));
    }
    const axes = info.initializers.find((i) => i.name === 'time.axes');
    expect(axes && { type: axes.elemType, bytes: Array.from(axes.bytes) }).toEqual({ type: 'int64', bytes: [1, 0, 0, 0, 0, 0, 0, 0] });
  });
  it('writes little-endian raw data', () => {
    expect(Array.from(littleEndianBytes(new Float32Array([1])))).toEqual([0, 0, 0x80, 0x3f]);
    expect(Array.from(littleEndianBytes(new BigInt64Array([-2n])))).toEqual([0xfe, 255, 255, 255, 255, 255, 255, 255]);
  });
  it('is deterministic', () => {
    expect(writeOnnx(model.graph, params, { metadata })).toEqual(writeOnnx(model.graph, params, { metadata }));
  });
  it('rejects a wrong-size or non-finite parameter buffer and empty metadata keys', () => {
    expect(() => writeOnnx(model.graph, params.subarray(1))).toThrow(StudioError);
    const nan = params.slice();
    nan[3] = Number.NaN;
    expect(() => writeOnnx(model.graph, nan)).toThrow(/not-finite|finite/);
    expect(() => writeOnnx(model.graph, params, { metadata: { '': 'x' } })).toThrow(StudioError);
  });
  it('round-trips random shapes, parameters and metadata (property)', () => {
    const arb = fc
      .record({ k: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 5 }), batch: fc.constantFrom('N', 'batch', 'B_1') })
      .chain(({ k, m, batch }) =>
        fc.record({
          k: fc.constant(k),
          m: fc.constant(m),
          batch: fc.constant(batch),
          params: fc.float32Array({ minLength: k * m + m, maxLength: k * m + m, noNaN: true, noDefaultInfinity: true }),
          metadata: fc.dictionary(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ unit: 'grapheme' })),
        }),
      );
    fc.assert(
      fc.property(arb, ({ k, m, batch, params, metadata }) => {
        const b = new GraphBuilder('affine');
        const x = b.input('x', 'float32', [batch, k]);
        const w = b.param('w', [k, m], { kind: 'zeros' });
        const bias = b.param('b', [m], { kind: 'zeros' });
        b.output(b.node('Gemm', [x, w, bias], { name: 'prediction' }));
        const info = readOnnx(writeOnnx(b.build().graph, params, { metadata }));
        expect(info.metadata).toEqual(metadata);
        expect(info.inputs).toEqual([{ name: 'x', elemType: 'float32', shape: [batch, k] }]);
        expect(info.outputs).toEqual([{ name: 'prediction', elemType: 'float32', shape: [batch, m] }]);
        const back = [...initializerFloat32(info.initializers[0]), ...initializerFloat32(info.initializers[1])];
        expect(back).toEqual(Array.from(params));
      }),
      { numRuns: 200 },
    );
  });
});
