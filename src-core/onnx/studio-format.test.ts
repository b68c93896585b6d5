// The studio's model format: metadata round trip, every missing or invalid key, and the signature check of describeModel.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { GraphBuilder } from '../graph/builder';
import { buildMlp } from '../graph/families/mlp';
import { initParams } from '../graph/param-layout';
import { Rng } from '../rng';
import { STUDIO_KEYS, denormalise, describeModel, parseStudioMetadata, studioMetadata, type StudioModelMeta } from './studio-format';
import { writeOnnx } from './writer';

const meta: StudioModelMeta = {
  parameterisation: 'velocity',
  schedule: { name: 'linear', sigmaMin: 0 },
  dataShape: [2],
  normalisation: { mean: [1, -2], scale: [0.5, 3] },
  classes: { count: 4, nullClass: 4, guidance: 2.5 },
  runId: 'abc-123',
  seed: 7,
  studioVersion: '0.1.0',
};
const plain: StudioModelMeta = { ...meta, normalisation: null, classes: null, runId: null, seed: null, studioVersion: null };

const full = studioMetadata(meta);
const conditional = buildMlp({ dataDim: 2, hidden: [8], timeEmbedding: { kind: 'raw' }, classes: 4 });
const unconditional = buildMlp({ dataDim: 2, hidden: [8], timeEmbedding: { kind: 'raw' } });
const bytesOf = (m: typeof conditional, md: Record<string, string>) => writeOnnx(m.graph, initParams(m.layout, new Rng(1)), { metadata: md });

function problem(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StudioError);
    return (e as Error).message;
  }
  throw new Error('expected a StudioError');
}

describe('studio model metadata', () => {
  it('round-trips every field', () => {
    expect(parseStudioMetadata(studioMetadata(meta))).toEqual(meta);
    expect(parseStudioMetadata(studioMetadata(plain))).toEqual(plain);
  });

  it('writes the schedule with its defaults filled in', () => {
    const md = studioMetadata({ ...plain, schedule: { name: 'vp-linear' } });
    expect(JSON.parse(md[STUDIO_KEYS.schedule])).toMatchObject({ name: 'vp-linear', betaMin: expect.any(Number) });
  });

  for (const key of [STUDIO_KEYS.format, STUDIO_KEYS.parameterisation, STUDIO_KEYS.schedule, STUDIO_KEYS.dataShape]) {
    it(`names the missing key ${key}`, () => {
      const md = { ...full };
      delete md[key];
      expect(problem(() => parseStudioMetadata(md))).toContain(`metadata key ${key} missing`);
    });
  }
  it('names a missing null class when classes are given', () => {
    const md = { ...full };
    delete md[STUDIO_KEYS.nullClass];
    expect(problem(() => parseStudioMetadata(md))).toContain(`${STUDIO_KEYS.nullClass} missing`);
  });

  const invalid: [string, string, RegExp][] = [
    [STUDIO_KEYS.format, '2', /reads format 1/],
    [STUDIO_KEYS.parameterisation, 'noise', /'noise' is not one of/],
    [STUDIO_KEYS.schedule, '{"name":"linear"', /not JSON/],
    [STUDIO_KEYS.schedule, '{"name":"cosine-ish"}', /unknown schedule 'cosine-ish'/],
    [STUDIO_KEYS.schedule, '{"name":"linear","sigmaMin":2}', /studio.schedule: invalid 'linear' schedule/],
    [STUDIO_KEYS.dataShape, '[0]', /studio.data_shape: must be a list/],
    [STUDIO_KEYS.dataShape, '"2"', /studio.data_shape: must be a list/],
    [STUDIO_KEYS.normalisation, '{"mean":[0,0,0],"scale":[1,1,1]}', /need 2 entries/],
    [STUDIO_KEYS.normalisation, '{"mean":[0,0],"scale":[1,-1]}', /positive "scale"/],
    [STUDIO_KEYS.classes, 'four', /studio.classes must be a non-negative integer/],
    [STUDIO_KEYS.nullClass, '2', /2 is a real class/],
    [STUDIO_KEYS.guidance, 'strong', /studio.guidance: must be a finite number/],
    [STUDIO_KEYS.seed, '-1', /studio.seed must be a non-negative integer/],
  ];
  for (const [key, value, message] of invalid) {
    it(`rejects ${key} = ${value}`, () => {
      expect(problem(() => parseStudioMetadata({ ...full, [key]: value }))).toMatch(message);
    });
  }

  it('reports every problem at once', () => {
    const m = problem(() => parseStudioMetadata({}));
    for (const key of [STUDIO_KEYS.format, STUDIO_KEYS.parameterisation, STUDIO_KEYS.schedule, STUDIO_KEYS.dataShape]) expect(m).toContain(key);
  });

  it('refuses to build invalid metadata', () => {
    expect(problem(() => studioMetadata({ ...plain, dataShape: [] }))).toMatch(/data_shape/);
  });

  it('undoes the normalisation per dimension', () => {
    const x = new Float32Array([0, 0, 2, 1]);
    denormalise(x, meta);
    expect([...x]).toEqual([1, -2, 2, 1]);
    const y = new Float64Array([1, 1]);
    denormalise(y, plain);
    expect([...y]).toEqual([1, 1]);
  });
});

describe('describeModel', () => {
  it('accepts a conditional MLP with full metadata', () => {
    const d = describeModel(bytesOf(conditional, full));
    expect(d.conditional).toBe(true);
    expect(d.meta).toEqual(meta);
    expect(d.info.inputs.map((v) => v.name)).toEqual(['x', 't', 'y']);
  });

  it('says when the labels input is missing or unexpected', () => {
    expect(problem(() => describeModel(bytesOf(unconditional, full)))).toContain('model has no input y');
    expect(problem(() => describeModel(bytesOf(conditional, studioMetadata(plain))))).toContain('model has input y (labels) but metadata key studio.classes is missing');
  });

  it('says when the data shape does not match x', () => {
    expect(problem(() => describeModel(bytesOf(unconditional, studioMetadata({ ...plain, dataShape: [3] }))))).toContain('input x is float32 [N, 2]; expected float32 [N, 3]');
  });

  it('names a missing t input and a missing prediction output', () => {
    const b = new GraphBuilder('foreign');
    const x = b.input('x', 'float32', ['N', 2]);
    b.output(b.node('Relu', [x], { name: 'out' }));
    const { graph } = b.build();
    const m = problem(() => describeModel(writeOnnx(graph, new Float32Array(0), { metadata: studioMetadata(plain) })));
    expect(m).toContain('model has no input t');
    expect(m).toContain('model has no output prediction (outputs: out)');
  });

  it('says what is missing from a model without metadata', () => {
    const m = problem(() => describeModel(bytesOf(unconditional, {})));
    expect(m).toContain('metadata key studio.format missing');
  });

  it('turns truncated and foreign bytes into StudioErrors', () => {
    const bytes = bytesOf(unconditional, studioMetadata(plain));
    expect(problem(() => describeModel(bytes.subarray(0, bytes.length >> 1)))).toMatch(/not a usable ONNX model/);
    expect(problem(() => describeModel(new TextEncoder().encode('hello, world')))).toMatch(/not a usable ONNX model/);
  });
});
