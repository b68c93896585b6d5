// The studio's readers under test, each with valid inputs (from its own writer where it has one), mutations of bytes, and the outcome rule: a result or a typed StudioError.
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { ERROR_CODES, StudioError } from '../../src-core/errors';
import { decodeWire, encodeWire } from '../../src-core/api/wire';
import { callFrameSchema } from '../../src-core/api/ws-protocol';
import { buildMlp } from '../../src-core/graph/families/mlp';
import { initParams } from '../../src-core/graph/param-layout';
import { parseCsv, writeCsv, type CsvDelimiter } from '../../src-core/io/csv';
import { parseDataFile } from '../../src-core/io/data-file';
import { decodeImage } from '../../src-core/io/image-decode';
import { parseJsonArray, writeJsonArray } from '../../src-core/io/json-array';
import { readNpy, writeNpy, type NpyArray } from '../../src-core/io/npy';
import { parseNpyDataset } from '../../src-core/io/npy-dataset';
import { describeModel, studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { defaultTrainingConfig, parseTrainingConfig } from '../../src-core/training/config';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../src-main/runs/checkpoint-format';

/** What one call of a reader did: returned, or threw a typed error (anything else fails the test), and how long it took. */
export interface Outcome {
  readonly ok: boolean;
  readonly ms: number;
  readonly code?: string;
}

/** Runs a reader once; a throw that is not a StudioError with one of the studio's codes is rethrown with the input's size. */
export function outcome(run: () => unknown, size: number): Outcome {
  const start = performance.now();
  try {
    run();
    return { ok: true, ms: performance.now() - start };
  } catch (err) {
    const ms = performance.now() - start;
    if (err instanceof StudioError && (ERROR_CODES as readonly string[]).includes(err.code)) return { ok: false, ms, code: err.code };
    const e = err as Error;
    throw new Error(`an input of ${size} bytes made the reader throw ${e?.constructor?.name ?? typeof err}: ${String(e?.message ?? err).slice(0, 300)}`);
  }
}

/** One edit of a file's bytes; positions are fractions of its length, so one edit fits any file. */
type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number };

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** One to four edits: bit flips, bytes set to anything (0, 255, digits, quotes and brackets weighted in), cuts, inserts, deletions, repeats. */
export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at, value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255, 0x7f, 0x80, 0x30, 0x39, 0x2c, 0x22, 0x5b, 0x5d, 0x7b, 0x7d, 0x0a)) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 2, max: 64 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** Applies edits in order. */
export function mutate(input: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of edits) {
    const i = Math.floor(m.at * b.length);
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[i] ^= 1 << m.bit;
        break;
      case 'set':
        if (b.length > 0) b[i] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, i);
        break;
      case 'insert':
        b = new Uint8Array([...b.subarray(0, i), ...m.bytes, ...b.subarray(i)]);
        break;
      case 'delete':
        b = new Uint8Array([...b.subarray(0, i), ...b.subarray(i + m.length)]);
        break;
      case 'repeat': {
        const piece = b.subarray(i, i + m.length);
        const out = [...b.subarray(0, i)];
        for (let k = 0; k < m.times; k++) out.push(...piece);
        b = new Uint8Array([...out, ...b.subarray(i)]);
        break;
      }
    }
  }
  return b;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The type of the values an arbitrary makes. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
const finite = fc.float({ noNaN: true, noDefaultInfinity: true });

/** A reader under test: how it is called, valid files for it, and (where it has a writer) the round trip to check. */
export interface Reader<T = unknown> {
  readonly name: string;
  /** Reads one file's bytes. */
  read(bytes: Uint8Array): unknown;
  /** Valid files, the starting points of mutation. */
  readonly valid: fc.Arbitrary<Uint8Array>;
  /** Values the writer serialises; check(value) writes it, reads it back and throws unless it is the same. */
  readonly roundTrip?: { readonly values: fc.Arbitrary<T>; check(value: T): void };
}

/** JSON of a value with typed arrays as lists (-0 and bigints spelled out) and object keys sorted: equal values, equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Object.is(x, -0) ? '-0' : typeof x === 'bigint' ? String(x) : x));
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    return v;
  });
}

function same(a: unknown, b: unknown, what: string): void {
  const ja = canonical(a);
  const jb = canonical(b);
  if (ja !== jb) throw new Error(`${what} did not read back the same: ${ja.slice(0, 200)} vs ${jb.slice(0, 200)}`);
}

const tableArb = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 })).chain(([n, d]) =>
  fc.record({
    n: fc.constant(n),
    d: fc.constant(d),
    values: fc.array(finite, { minLength: n * d, maxLength: n * d }),
    header: fc.option(fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _,;"]{0,8}$/), { minLength: d, maxLength: d }), { nil: undefined }),
    delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
  }),
);

const csvReader: Reader<ValueOf<typeof tableArb>> = {
  name: 'CSV',
  read: (b) => parseCsv(b),
  valid: tableArb.map((t) => text(writeCsv(Float32Array.from(t.values), [t.n, t.d], { delimiter: t.delimiter, ...(t.header ? { header: t.header } : {}) }))),
  roundTrip: {
    values: tableArb,
    check: ({ n, d, values, header, delimiter }) => {
      const data = Float32Array.from(values);
      const back = parseCsv(writeCsv(data, [n, d], { delimiter, ...(header ? { header } : {}) }), { delimiter, header: header !== undefined });
      same({ shape: back.shape, data: back.data, header: back.header }, { shape: [n, d], data, header }, 'CSV');
    },
  },
};

const jsonShapes = fc.constantFrom<number[]>([1, 1], [3, 2], [7, 5], [2, 1, 3, 3], [1, 3, 2, 2], [4], [2, 3, 4]);
const jsonArb = jsonShapes.chain((shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.record({
    shape: fc.constant(shape),
    values: fc.array(finite, { minLength: size, maxLength: size }),
    labels: fc.option(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: shape[0], maxLength: shape[0] }), { nil: undefined }),
    form: fc.constantFrom<'nested' | 'object'>('nested', 'object'),
  });
});

const jsonReader: Reader<{ shape: number[]; values: number[]; labels?: number[]; form: 'nested' | 'object' }> = {
  name: 'JSON',
  read: (b) => parseJsonArray(b),
  valid: jsonArb.map((j) => text(writeJsonArray(Float32Array.from(j.values), j.shape, { form: j.form, ...(j.labels ? { labels: Int32Array.from(j.labels) } : {}) }))),
  roundTrip: {
    values: jsonArb,
    check: ({ shape, values, labels, form }) => {
      const data = Float32Array.from(values);
      const back = parseJsonArray(writeJsonArray(data, shape, { form, ...(labels ? { labels: Int32Array.from(labels) } : {}) }));
      const expected = shape.length === 1 ? [shape[0], 1] : shape.length === 3 ? [shape[0], 1, shape[1], shape[2]] : shape;
      same({ shape: back.shape, data: back.data, labels: back.labels ?? null }, { shape: expected, data, labels: labels ? Int32Array.from(labels) : null }, 'JSON');
    },
  },
};

const npyArb: fc.Arbitrary<NpyArray> = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.oneof(
    fc.array(fc.float(), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'float32', shape, data: Float32Array.from(v) })),
    fc.array(fc.double(), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'float64', shape, data: Float64Array.from(v) })),
    fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'int64', shape, data: BigInt64Array.from(v) })),
    fc.array(fc.integer(), { minLength: n, maxLength: n }).map((v): NpyArray => ({ dtype: 'int32', shape, data: Int32Array.from(v) })),
  );
});

const npyReader: Reader<NpyArray> = {
  name: 'NPY',
  read: (b) => parseNpyDataset(b),
  valid: npyArb.map(writeNpy),
  roundTrip: {
    values: npyArb,
    check: (a) => {
      const back = readNpy(writeNpy(a));
      same({ dtype: back.dtype, shape: back.shape, data: back.data }, { dtype: a.dtype, shape: a.shape, data: a.data }, 'NPY');
    },
  },
};

const pngArb = fc.record({
  width: fc.integer({ min: 1, max: 16 }),
  height: fc.integer({ min: 1, max: 16 }),
  channels: fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4),
  depth: fc.constantFrom<8 | 16>(8, 16),
  seed: fc.integer({ min: 0, max: 1000 }),
});
type PngSpec = ValueOf<typeof pngArb>;

function pngSamples({ width, height, channels, depth, seed }: PngSpec): Uint8Array | Uint16Array {
  const rng = new Rng(seed);
  const n = width * height * channels;
  const max = depth === 8 ? 255 : 65535;
  return depth === 8 ? Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * (max + 1))) : Uint16Array.from({ length: n }, () => Math.floor(rng.uniform() * (max + 1)));
}

const encodeSpec = (s: PngSpec) => new Uint8Array(encodePng({ width: s.width, height: s.height, data: pngSamples(s), channels: s.channels, depth: s.depth }));

const pngReader: Reader<PngSpec> = {
  name: 'PNG',
  read: (b) => decodeImage(b, 'x.png'),
  valid: pngArb.map(encodeSpec),
  roundTrip: {
    values: pngArb,
    check: (s) => {
      const samples = pngSamples(s);
      const img = decodeImage(encodeSpec(s), 'x.png');
      const area = s.width * s.height;
      const colour = s.channels >= 3;
      // alpha is dropped; a colour image whose every pixel is gray reads as one channel
      const planes = img.channels;
      if (img.width !== s.width || img.height !== s.height || (!colour && planes !== 1)) throw new Error(`PNG ${JSON.stringify(s)} read back as ${img.width}x${img.height}x${planes}`);
      const max = s.depth === 8 ? 255 : 65535;
      for (let c = 0; c < planes; c++) {
        for (let p = 0; p < area; p++) {
          const want = samples[p * s.channels + c] / max;
          if (img.pixels[c * area + p] !== Math.fround(want)) throw new Error(`PNG ${JSON.stringify(s)}: pixel ${p}, channel ${c} is ${img.pixels[c * area + p]}, wrote ${want}`);
        }
      }
    },
  },
};

const jpegArb = fc.record({ width: fc.integer({ min: 1, max: 32 }), height: fc.integer({ min: 1, max: 32 }), seed: fc.integer({ min: 0, max: 1000 }) });
type JpegSpec = ValueOf<typeof jpegArb>;

/** A smooth colour image (a lossy coder keeps it within a few levels) as RGBA. */
function jpegPixels({ width, height, seed }: JpegSpec): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      out.set([(seed + 4 * x) % 200, (seed + 3 * y) % 200, 100, 255], o);
    }
  }
  return out;
}

const encodeJpeg = (s: JpegSpec) => new Uint8Array(jpeg.encode({ width: s.width, height: s.height, data: jpegPixels(s) }, 100).data);

const jpegReader: Reader<JpegSpec> = {
  name: 'JPEG',
  read: (b) => decodeImage(b, 'x.jpg'),
  valid: jpegArb.map(encodeJpeg),
  roundTrip: {
    values: jpegArb,
    check: (s) => {
      const img = decodeImage(encodeJpeg(s), 'x.jpg');
      if (img.width !== s.width || img.height !== s.height) throw new Error(`JPEG ${JSON.stringify(s)} read back as ${img.width}x${img.height}`);
      // lossy at quality 100: every sample within 6 levels of 255 (chroma is subsampled)
      const rgba = jpegPixels(s);
      const area = s.width * s.height;
      for (let c = 0; c < img.channels; c++) {
        for (let p = 0; p < area; p++) {
          const err = Math.abs(img.pixels[c * area + p] * 255 - rgba[4 * p + (img.channels === 1 ? 0 : c)]);
          if (err > 6) throw new Error(`JPEG ${JSON.stringify(s)}: pixel ${p}, channel ${c} is off by ${err.toFixed(1)} levels`);
        }
      }
    },
  },
};

/** Any data file by name, as the importer takes it: the format told by extension or by the first bytes. */
const importerReader: Reader = {
  name: 'data file (format detection)',
  read: (b) => parseDataFile(['a.csv', 'a.json', 'a.npy', 'a.png', 'a.jpg', 'noext'][b.length % 6], b),
  valid: fc.oneof(csvReader.valid, jsonReader.valid, npyReader.valid, pngReader.valid),
};

const mlp = buildMlp({ dataDim: 2, hidden: [8], timeEmbedding: { kind: 'raw' }, classes: 3 });
const modelMeta = studioMetadata({
  parameterisation: 'velocity',
  schedule: { name: 'linear', sigmaMin: 0 },
  dataShape: [2],
  normalisation: { mean: [1, -2], scale: [0.5, 3] },
  classes: { count: 3, nullClass: 3, guidance: 1.5 },
  runId: 'r-1',
  seed: 7,
  studioVersion: '0.1.0',
});

const onnxReader: Reader<number> = {
  name: 'ONNX model',
  read: (b) => describeModel(b),
  valid: fc.constantFrom(...[1, 2, 3, 4].map((seed) => writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(seed)), { metadata: modelMeta }))),
  roundTrip: {
    values: fc.integer({ min: 0, max: 1_000_000 }),
    check: (seed) => {
      const params = initParams(mlp.layout, new Rng(seed));
      const model = describeModel(writeOnnx(mlp.graph, params, { metadata: modelMeta }));
      same(model.info.metadata, modelMeta, 'ONNX metadata');
      const back = new Float32Array(params.length);
      for (const init of model.info.initializers) {
        const p = mlp.graph.params.find((q) => q.name === init.name);
        if (p) back.set(new Float32Array(init.bytes.slice().buffer), p.offset);
      }
      same(back, params, 'ONNX weights');
    },
  },
};

const defaultConfig = defaultTrainingConfig() as unknown as Record<string, unknown>;
const configText = text(JSON.stringify(defaultConfig, null, 2));

/** Words a config's text fields take somewhere, so that a swapped word is often a valid one. */
const CONFIG_WORDS = ['builtin', 'workspace', 'two-moons', 'eight-gaussians', 'gaussian-mixture', 'none', 'standardise', 'mlp', 'unet', 'raw', 'sinusoidal', 'silu', 'relu', 'velocity', 'eps', 'x0', 'score', 'linear', 'cosine', 'vp-linear', 'ddpm', 'uniform', 'logit-normal', 'independent', 'ot', 'sinkhorn', 'adam', 'adamw', 'cosine', 'auto', 'cpu', 'wasm', 'onnxruntime', 'tensorflow'];

/** One change to a config's value: a leaf (numbered in document order) nudged, swapped, nulled, deleted, or given a stray key. */
const configEditArb = fc.record({
  leaf: fc.nat(),
  kind: fc.constantFrom('scale', 'add', 'word', 'null', 'delete', 'stray', 'json'),
  factor: fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), fc.constantFrom(0, 0.5, 2, 10, 1e6, -1)),
  word: fc.constantFrom(...CONFIG_WORDS),
  json: fc.jsonValue({ maxDepth: 2 }),
});

/** A config changed at the value level (most of these still parse as JSON, and many as a config). */
function editConfig(edits: readonly ValueOf<typeof configEditArb>[]): Uint8Array {
  const config = JSON.parse(JSON.stringify(defaultConfig)) as Record<string, unknown>;
  for (const e of edits) {
    const leaves: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (o: Record<string, unknown> | unknown[]): void => {
      for (const [k, v] of Object.entries(o)) {
        if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
        else leaves.push([o, Array.isArray(o) ? Number(k) : k]);
      }
    };
    walk(config);
    if (leaves.length === 0) break;
    const [holder, key] = leaves[e.leaf % leaves.length];
    const box = holder as Record<string | number, unknown>;
    const v = box[key];
    if (e.kind === 'scale') box[key] = typeof v === 'number' ? v * e.factor : e.factor;
    else if (e.kind === 'add') box[key] = typeof v === 'number' ? v + Math.round(e.factor) : Math.round(e.factor);
    else if (e.kind === 'word') box[key] = e.word;
    else if (e.kind === 'null') box[key] = null;
    else if (e.kind === 'delete' && !Array.isArray(holder)) delete box[key];
    else if (e.kind === 'stray' && !Array.isArray(holder)) box[`${String(key)}X`] = e.json;
    else box[key] = e.json;
  }
  return text(JSON.stringify(config));
}

const configVariants = fc.array(configEditArb, { minLength: 1, maxLength: 3 }).map(editConfig);

/** A run's config.json as the run store reads it (readJsonFile: UTF-8 text, JSON, a typed error when it is not JSON), then the config schema. */
function readConfig(bytes: Uint8Array): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new StudioError('invalid-argument', `config.json is damaged: not JSON (${(err as Error).message})`);
  }
  return parseTrainingConfig(raw);
}

const configReader: Reader<Uint8Array> = {
  name: 'run config',
  read: readConfig,
  valid: fc.oneof(fc.constant(configText), configVariants),
  roundTrip: {
    // configs changed value by value; those that parse, written out and read again, come back the same
    values: configVariants,
    check: (bytes) => {
      let first: unknown;
      try {
        first = readConfig(bytes);
      } catch {
        return;
      }
      same(parseTrainingConfig(JSON.parse(JSON.stringify(first))), first, 'run config');
    },
  },
};

const checkpointArb = fc.record({ n: fc.integer({ min: 0, max: 40 }), seed: fc.integer({ min: 0, max: 1000 }), step: fc.integer({ min: 0, max: 1e9 }) }).map(({ n, seed, step }): Checkpoint => {
  const rng = new Rng(seed);
  const arr = () => rng.fillNormal(new Float32Array(n));
  return {
    step,
    weights: arr(),
    ema: arr(),
    optimiser: { step: step + 1, m: arr(), v: arr() },
    rng: { noise: new Rng(seed + 1).state(), batches: new Rng(seed + 2).state() },
    dataCursor: { epoch: seed % 7, position: seed, permutationSeed: seed * 3 },
    configHash: 'c'.repeat(64),
    backend: 'wasm',
  };
});

const checkpointReader: Reader<Checkpoint> = {
  name: 'checkpoint',
  read: (b) => decodeCheckpoint(b, 'step.ckpt'),
  valid: checkpointArb.map((c) => new Uint8Array(encodeCheckpoint(c))),
  roundTrip: {
    values: checkpointArb,
    check: (c) => same(decodeCheckpoint(encodeCheckpoint(c), 'step.ckpt'), c, 'checkpoint'),
  },
};

const wireValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.array(finite).map((v) => Float32Array.from(v)),
    fc.array(fc.integer()).map((v) => Int32Array.from(v)),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && !k.startsWith('$')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const callArb = fc.record({ id: fc.nat(), method: fc.constantFrom('app.info', 'datasets.generate', 'datasets.import', 'training.start'), params: wireValue });

/** An API frame as the server takes it: wire text decoded, then the call frame's schema. */
function readFrame(bytes: Uint8Array): unknown {
  const message = decodeWire(new TextDecoder().decode(bytes));
  const frame = callFrameSchema.safeParse(message);
  return frame.success ? frame.data : null;
}

const apiReader: Reader<{ id: number; method: string; params: unknown }> = {
  name: 'API message',
  read: readFrame,
  valid: callArb.map((c) => text(encodeWire(c))),
  roundTrip: {
    values: callArb,
    check: (c) => same(decodeWire(encodeWire(c)), c, 'API message'),
  },
};

/** Every reader the studio has, in the order the figures are printed. */
export const READERS: readonly Reader<never>[] = [npyReader, csvReader, jsonReader, pngReader, jpegReader, importerReader, onnxReader, configReader, checkpointReader, apiReader] as Reader<never>[];
