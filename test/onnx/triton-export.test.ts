// Triton export: each config.pbtxt parses against Triton's schema (protoc), agrees with its ONNX graph, and the network fed Triton-shaped requests matches the studio's model.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatTensor, int64Tensor, type Tensor } from '../../src-core/graph';
import { readOnnx } from '../../src-core/onnx/reader';
import { Rng } from '../../src-core/rng';
import { createSchedule } from '../../src-core/schedules';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { StudioError } from '../../src-core/errors';
import { exportRunToTriton } from '../../src-main/export/export-triton';
import { ExportService } from '../../src-main/export/export-service';
import { runOrt } from './ort-helpers';
import { PROTOC, have } from '../prerequisites';
import { graphModel, makeRun, tempDir } from '../sampling/fixtures';

/** Where Triton's own model_config.proto is: the shared reference folder beside the checkout (TRITON_PROTO_DIR names another). */
const TRITON_PROTO_DIR = process.env.TRITON_PROTO_DIR || join(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'triton');
const TRITON_PROTO = {
  what: `Triton's model_config.proto in ${TRITON_PROTO_DIR}`,
  install: 'copy protobuf/model_config.proto of triton-inference-server/common there, or set TRITON_PROTO_DIR',
  present: () => existsSync(join(TRITON_PROTO_DIR, 'model_config.proto')),
};
const protoc = have(PROTOC) && have(TRITON_PROTO);

/** A config as Triton's schema reads it (field names as in the proto; 64-bit numbers as strings, as protobuf's JSON writes them). */
interface TritonTensor {
  name: string;
  data_type: string;
  dims: string[];
  reshape?: { shape?: string[] };
}
interface TritonConfig {
  name: string;
  backend: string;
  max_batch_size?: number;
  input: TritonTensor[];
  output: TritonTensor[];
  dynamic_batching?: object;
  parameters?: Record<string, { string_value: string }>;
}

let pythonModule: string | null = null;

/** Parses config.pbtxt with protoc against Triton's schema (throws with protoc's message on any error), then reads it into data through the generated Python module. */
function parseConfig(text: string): TritonConfig {
  const encoded = spawnSync('protoc', [`--proto_path=${TRITON_PROTO_DIR}`, '--encode=inference.ModelConfig', 'model_config.proto'], { input: text });
  if (encoded.status !== 0) throw new Error(`protoc rejects config.pbtxt: ${encoded.stderr.toString()}`);
  if (!pythonModule) {
    pythonModule = tempDir('triton-proto-');
    const gen = spawnSync('protoc', [`--proto_path=${TRITON_PROTO_DIR}`, `--python_out=${pythonModule}`, 'model_config.proto'], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(gen.stderr);
  }
  const code = [
    'import sys, json',
    `sys.path.insert(0, ${JSON.stringify(pythonModule)})`,
    'import model_config_pb2',
    'from google.protobuf import json_format',
    'm = model_config_pb2.ModelConfig.FromString(sys.stdin.buffer.read())',
    'print(json.dumps(json_format.MessageToDict(m, preserving_proto_field_name=True, including_default_value_fields=False)))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: encoded.stdout, encoding: 'buffer' });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString()) as TritonConfig;
}

/** The shape the model receives for a request of batch n, as Triton forms it: the batch dimension, then the reshape (or the dims). */
function modelShape(t: TritonTensor, n: number, batched: boolean): number[] {
  const item = (t.reshape ? (t.reshape.shape ?? []) : t.dims).map(Number);
  return batched ? [n, ...item] : item.map((d) => (d === -1 ? n : d));
}

/** The shape a client sends: batch first, then the config's dims. */
function requestShape(t: TritonTensor, n: number): number[] {
  return [n, ...t.dims.map(Number)];
}

const CASES: [string, TrainingConfigInput][] = [
  ['velocity on linear', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } }, steps: 40 }],
  [
    'standardised eps on vp-cosine',
    {
      data: { source: 'builtin', id: 'two-moons', params: { count: 300 }, normalise: 'standardise' },
      model: { family: 'mlp', hidden: [32, 32], timeEmbedding: { kind: 'sinusoidal', dim: 16 } },
      objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } },
      seed: 12,
      steps: 40,
    },
  ],
  ['class-conditional', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } }, model: { family: 'mlp', hidden: [32, 32], classes: 8, labelDropout: 0.1 }, steps: 40 }],
];

describe.skipIf(!protoc)('Triton model repository', () => {
  for (const [label, config] of CASES) {
    it(`${label}: the configs parse, match their graphs, and the network serves Triton-shaped requests like the studio's model`, async () => {
      const run = await makeRun(config);
      const repo = join(tempDir(), 'models');
      const r = await exportRunToTriton(run.dir, repo, { samplerGraph: { sampler: 'heun', steps: 4 } }, { model: 'flow', maxBatchSize: 64, replace: false });
      expect(r.files.map((f) => f.path).sort()).toEqual(['flow-sampler/1/model.onnx', 'flow-sampler/config.pbtxt', 'flow/1/model.onnx', 'flow/config.pbtxt']);
      expect(readdirSync(repo).sort()).toEqual(['flow', 'flow-sampler']);
      for (const f of r.files) expect(readFileSync(join(repo, f.path)).length).toBe(f.bytes);

      for (const model of ['flow', 'flow-sampler']) {
        const cfg = parseConfig(readFileSync(join(repo, model, 'config.pbtxt'), 'utf8'));
        const info = readOnnx(new Uint8Array(readFileSync(join(repo, model, '1', 'model.onnx'))));
        const batched = model === 'flow';
        expect(cfg).toMatchObject({ name: model, backend: 'onnxruntime' });
        expect(cfg.max_batch_size ?? 0).toBe(batched ? 64 : 0);
        expect(cfg.dynamic_batching !== undefined).toBe(batched);
        // names and shapes as the graph declares them (a symbolic dimension is -1 in the config)
        const graphShape = (s: readonly (number | string)[]) => s.map((d) => (typeof d === 'number' ? d : -1));
        for (const [declared, tensors] of [[info.inputs, cfg.input], [info.outputs, cfg.output]] as const) {
          expect(tensors.map((t) => t.name)).toEqual(declared.map((v) => v.name));
          for (const v of declared) {
            const t = tensors.find((c) => c.name === v.name)!;
            expect(t.data_type).toBe(v.elemType === 'int64' ? 'TYPE_INT64' : 'TYPE_FP32');
            const served = batched ? [-1, ...modelShape(t, 1, true).slice(1)] : modelShape(t, -1, false);
            expect(served).toEqual(graphShape(v.shape));
            if (batched && v.shape.length === 1) expect(t).toMatchObject({ dims: ['1'], reshape: {} });
          }
        }
        // Triton ignores metadata_props: the same keys and values are the config's parameters
        expect(Object.fromEntries(Object.entries(cfg.parameters ?? {}).map(([k, v]) => [k, v.string_value]))).toEqual(info.metadata);
      }

      // requests as a client sends them ([N, 1] for t and y), reshaped as Triton does, against the studio's own model
      const valid = parseTrainingConfig(config);
      const built = buildModel(valid.model, [2]);
      const schedule = createSchedule(valid.objective.schedule);
      const cfg = parseConfig(readFileSync(join(repo, 'flow', 'config.pbtxt'), 'utf8'));
      const onnx = new Uint8Array(readFileSync(join(repo, 'flow', '1', 'model.onnx')));
      const rng = new Rng(7);
      for (const n of [1, 7, 64]) {
        const request: Record<string, { data: Float32Array | BigInt64Array; shape: number[] }> = {};
        const ts = rng.fillUniform(new Float32Array(n)).map((u) => 0.02 + 0.96 * u);
        const labels = Array.from({ length: n }, (_, i) => i % ((built.nullClass ?? 0) + 1));
        for (const t of cfg.input) {
          const shape = requestShape(t, n);
          const data = t.name === 'x' ? rng.fillNormal(new Float32Array(n * 2)) : t.name === 't' ? ts : BigInt64Array.from(labels.map(BigInt));
          expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
          request[t.name] = { data, shape };
        }
        expect(request.t.shape).toEqual([n, 1]);
        const feeds: Record<string, Tensor> = {};
        for (const t of cfg.input) {
          const shape = modelShape(t, n, true);
          const { data } = request[t.name];
          feeds[t.name] = data instanceof BigInt64Array ? int64Tensor(Array.from(data, Number), shape) : floatTensor(data, shape);
        }
        const got = (await runOrt(onnx, feeds)).prediction;
        expect(got.length).toBe(n * 2);
        // the sampling code's model interface, one row at a time at that row's own time and label
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const model = graphModel(built.graph, run.ema, schedule, valid.objective.parameterisation, built.nullClass !== undefined ? [labels[i]] : undefined);
          const x = request.x.data as Float32Array;
          const want = model.predict({ data: x.slice(2 * i, 2 * i + 2), shape: [1, 2] }, ts[i]) as Float32Array;
          for (let j = 0; j < 2; j++) worst = Math.max(worst, Math.abs(got[2 * i + j] - want[j]) / Math.max(1, Math.abs(want[j])));
        }
        expect(worst, `N = ${n}`).toBeLessThan(1e-5);
      }
    });
  }

  it('adds to an existing repository, keeps its other models, and refuses a folder the studio did not write', async () => {
    const run = await makeRun(CASES[0][1]);
    const repo = tempDir('triton-repo-');
    mkdirSync(join(repo, 'other', '1'), { recursive: true });
    writeFileSync(join(repo, 'other', 'config.pbtxt'), 'name: "other"\nbackend: "onnxruntime"\n');
    const r = await exportRunToTriton(run.dir, repo, {}, { model: 'flow', replace: false });
    expect(r.files.map((f) => f.path)).toEqual(['flow/config.pbtxt', 'flow/1/model.onnx']);
    expect(readdirSync(repo).sort()).toEqual(['flow', 'other']);
    expect(readFileSync(join(repo, 'flow', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 256');

    // the same model again: refused without replace, replaced whole with it, no temp folder left behind (nor one an interrupted write left)
    await expect(exportRunToTriton(run.dir, repo, {}, { model: 'flow', replace: false })).rejects.toMatchObject({ code: 'duplicate-name' });
    mkdirSync(join(repo, '.flow.0123456789ab.tmp', '1'), { recursive: true });
    mkdirSync(join(repo, '.flowers.0123456789ab.tmp'));
    await exportRunToTriton(run.dir, repo, {}, { model: 'flow', maxBatchSize: 8, replace: true });
    expect(readFileSync(join(repo, 'flow', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 8');
    expect(readdirSync(repo).sort()).toEqual(['.flowers.0123456789ab.tmp', 'flow', 'other']);

    // a replace interrupted between its two renames left the model moved aside and the new one half-made: the next
    // write puts the model back (so it is refused without replace, as it was there) and drops the half-made one
    renameSync(join(repo, 'flow'), join(repo, '.flow.0123456789ab.old'));
    mkdirSync(join(repo, '.flow.abcdefabcdef.tmp', '1'), { recursive: true });
    await expect(exportRunToTriton(run.dir, repo, {}, { model: 'flow', replace: false })).rejects.toMatchObject({ code: 'duplicate-name' });
    expect(readFileSync(join(repo, 'flow', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 8');
    expect(readdirSync(repo).sort()).toEqual(['.flowers.0123456789ab.tmp', 'flow', 'other']);

    // someone else's model of that name is never replaced
    const err = await exportRunToTriton(run.dir, repo, {}, { model: 'other', replace: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).message).toMatch(/was not written by the studio/);
    expect(readFileSync(join(repo, 'other', 'config.pbtxt'), 'utf8')).toBe('name: "other"\nbackend: "onnxruntime"\n');
    expect(readdirSync(repo).sort()).toEqual(['.flowers.0123456789ab.tmp', 'flow', 'other']);
  });
});

describe('models.export with a Triton repository', () => {
  it('writes into the run\'s exports folder, names the model after the folder, and needs overwrite for a second export', async () => {
    const run = await makeRun(CASES[0][1]);
    const service = new ExportService(dirname(dirname(run.dir)));
    const exportModel = service.handlers()['models.export'];
    const r = await exportModel({ runId: run.id, name: 'my serving', triton: {} });
    const repo = join(run.dir, 'exports', 'my serving');
    expect(r.path).toBe(repo);
    expect(r.files?.map((f) => f.path)).toEqual(['my_serving/config.pbtxt', 'my_serving/1/model.onnx']);
    expect(r.bytes).toBe(r.files?.reduce((a, f) => a + f.bytes, 0));
    expect(readFileSync(join(repo, 'my_serving', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 256');
    const again = await Promise.resolve().then(() => exportModel({ runId: run.id, name: 'my serving', triton: {} })).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'duplicate-name', details: [{ path: ['name'], message: "the repository has a model 'my_serving' already" }] });
    await exportModel({ runId: run.id, name: 'my serving', triton: { maxBatchSize: 4 }, overwrite: true });
    expect(readFileSync(join(repo, 'my_serving', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 4');
    // nothing hidden left behind in the exports folder, and the repository is listed with what its network says
    expect(readdirSync(join(run.dir, 'exports'))).toEqual(['my serving']);
    const [listed, ...others] = (await service.handlers()['models.list']({ runId: run.id })).exports;
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ name: 'my serving', path: repo, kind: 'triton-repository', models: ['my_serving'], error: null, meta: { runId: run.id, parameterisation: 'velocity' } });
    expect(listed.bytes).toBe(readFileSync(join(repo, 'my_serving', 'config.pbtxt')).length + readFileSync(join(repo, 'my_serving', '1', 'model.onnx')).length);
    // a folder the studio did not write is not an export
    mkdirSync(join(run.dir, 'exports', 'notes'));
    writeFileSync(join(run.dir, 'exports', 'notes', 'config.pbtxt'), 'name: "x"\n');
    expect((await service.handlers()['models.list']({ runId: run.id })).exports.map((e) => e.name)).toEqual(['my serving']);
  });
});
