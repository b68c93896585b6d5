// Reader robustness: random, truncated, corrupted and foreign bytes give only StudioErrors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { buildMlp } from '../graph/families/mlp';
import { initParams } from '../graph/param-layout';
import { Rng } from '../rng';
import { readOnnx } from './reader';
import { ModelProtoType } from './schema';
import { writeOnnx } from './writer';

const model = buildMlp({ dataDim: 2, hidden: [4], timeEmbedding: { kind: 'raw' } });
const good = writeOnnx(model.graph, initParams(model.layout, new Rng(1)), { metadata: { parameterisation: 'velocity' } });

/** Reads and reports 'ok' or rethrows anything that is not a StudioError. */
function outcome(bytes: Uint8Array): 'ok' | 'rejected' {
  try {
    readOnnx(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof StudioError) return 'rejected';
    throw e;
  }
}

describe('readOnnx on bad bytes', () => {
  it('rejects empty and non-ONNX bytes with a clear message', () => {
    expect(() => readOnnx(new Uint8Array())).toThrow(/empty/);
    expect(() => readOnnx(new TextEncoder().encode('hello, this is a text file\n'))).toThrow(/not a usable ONNX model/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => readOnnx(png)).toThrow(StudioError);
  });
  it('rejects a protobuf that is a ModelProto without a graph or opset', () => {
    const noGraph = ModelProtoType.encode(ModelProtoType.fromObject({ ir_version: 8, opset_import: [{ version: 17 }] })).finish();
    expect(() => readOnnx(noGraph)).toThrow(/no graph/);
    const noOpset = ModelProtoType.encode(ModelProtoType.fromObject({ ir_version: 8, graph: { name: 'g' } })).finish();
    expect(() => readOnnx(noOpset)).toThrow(/opset/);
  });
  it('rejects an initialiser whose bytes do not match its dims', () => {
    const m = ModelProtoType.toObject(ModelProtoType.decode(good), { longs: Number });
    m.graph.initializer[0].dims = [99, 99];
    expect(() => readOnnx(ModelProtoType.encode(ModelProtoType.fromObject(m)).finish())).toThrow(/bytes/);
  });
  it('rejects every truncation that cuts into the graph', () => {
    for (let n = 1; n < good.length; n += 7) expect(outcome(good.subarray(0, n))).toBe('rejected');
  });
  it('random bytes give only StudioErrors', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 512 }), (b) => void outcome(b)), { numRuns: 2000 });
  });
  it('corrupted models give a model or a StudioError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const b = good.slice();
        for (const [i, v] of edits) b[i] = v;
        outcome(b);
      }),
      { numRuns: 1000 },
    );
  });
});
