// The model methods over the direct client: export a run into its exports folder (names, overwrite, sampler graphs) and list the exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { StudioError } from '../../src-core/errors';
import { initParams } from '../../src-core/graph';
import { describeModel } from '../../src-core/onnx/studio-format';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { exportFileName } from '../../src-main/export/export-service';
import { configHash, createRun, writeCheckpoint } from '../../src-main/runs';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';

const config: TrainingConfigInput = {
  data: { source: 'builtin', id: 'eight-gaussians', params: { count: 256 } },
  model: { family: 'mlp', hidden: [32, 32] },
  steps: 12,
};
let workspace: string;
let studio: StudioHost;
let api: StudioApi;
let runId: string;
let bareRunId: string;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'studio-models-'));
  studio = createStudioHost({ workspace, version: '0.0.0-test', host: 'direct' });
  api = createDirectClient(studio.dispatch, studio.events);
  const valid = parseTrainingConfig(config);
  const { id, dir } = await createRun(workspace, parseTrainingConfig(config), 'export me');
  const weights = initParams(buildModel(valid.model, [2]).layout, new Rng(3));
  const zeros = new Float32Array(weights.length);
  await writeCheckpoint(dir, {
    step: 12, weights, ema: weights.slice(), optimiser: { step: 12, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 },
    configHash: configHash(valid), backend: 'cpu',
  });
  runId = id;
  bareRunId = (await createRun(workspace, parseTrainingConfig(config), 'never trained')).id;
});
afterAll(async () => {
  await studio.close();
  rmSync(workspace, { recursive: true, force: true });
});

/** The StudioError a call rejects with. */
async function failure(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('models.export', () => {
  it('writes <workspace>/runs/<runId>/exports/<name>.onnx in the studio format', async () => {
    const r = await api.call('models.export', { runId, name: 'first' });
    expect(r.path).toBe(join(workspace, 'runs', runId, 'exports', 'first.onnx'));
    expect(r.bytes).toBe(statSync(r.path).size);
    expect(r.step).toBe(12);
    const d = describeModel(new Uint8Array(readFileSync(r.path)));
    expect(d.meta).toMatchObject({ parameterisation: 'velocity', runId, dataShape: [2] });
    // the atomic write leaves no temp file behind
    expect(readdirSync(join(workspace, 'runs', runId, 'exports')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses to replace an export unless asked', async () => {
    const before = statSync(join(workspace, 'runs', runId, 'exports', 'first.onnx')).mtimeMs;
    const e = await failure(api.call('models.export', { runId, name: 'first.onnx' }));
    expect(e.code).toBe('duplicate-name');
    expect(e.details).toEqual([{ path: ['name'], message: "an export named 'first.onnx' exists already" }]);
    expect(statSync(join(workspace, 'runs', runId, 'exports', 'first.onnx')).mtimeMs).toBe(before);
    const r = await api.call('models.export', { runId, name: 'first.onnx', overwrite: true });
    expect(r.path.endsWith('first.onnx')).toBe(true);
  });

  it('refuses names that are not plain file names', async () => {
    // the request schema refuses them at the boundary; the service checks again for in-process callers
    for (const name of ['a/b', '../escape', 'dir\\file', '.hidden', '']) {
      const e = await failure(api.call('models.export', { runId, name }));
      expect(e.code, name).toBe('invalid-message');
      expect(() => exportFileName(name), name).toThrow(StudioError);
    }
    expect((await failure(api.call('models.export', { runId, name: 'a/b' }))).message).toMatch(/path separators/);
    expect(existsSync(join(workspace, 'runs', 'escape.onnx'))).toBe(false);
    expect(exportFileName(' v1 ')).toBe('v1.onnx');
    expect(exportFileName('v1.ONNX')).toBe('v1.onnx');
  });

  it('writes a sampler graph when asked', async () => {
    const r = await api.call('models.export', { runId, name: 'heun-4', samplerGraph: { sampler: 'heun', steps: 4 } });
    expect(r.bytes).toBeGreaterThan(0);
    const e = await failure(api.call('models.export', { runId, name: 'too-long', samplerGraph: { sampler: 'heun', steps: 1000 } }));
    expect(e.code).toBe('invalid-argument');
  });

  it('reports a run without checkpoints and an unknown run', async () => {
    expect((await failure(api.call('models.export', { runId: bareRunId, name: 'x' }))).code).toBe('not-found');
    expect((await failure(api.call('models.export', { runId: 'no-such-run', name: 'x' }))).code).toBe('not-found');
  });
});

describe('models.list', () => {
  it("lists a run's exports with their metadata, a damaged file with its error", async () => {
    writeFileSync(join(workspace, 'runs', runId, 'exports', 'junk.onnx'), 'not a model');
    const { exports } = await api.call('models.list', { runId });
    expect(exports.map((e) => e.name)).toEqual(['first.onnx', 'heun-4.onnx', 'junk.onnx']);
    const [first, graph, junk] = exports;
    expect(first).toMatchObject({ kind: 'model', sampler: null, error: null, meta: { parameterisation: 'velocity', runId, schedule: { name: 'linear' } } });
    expect(first.bytes).toBe(statSync(first.path).size);
    expect(graph).toMatchObject({ kind: 'sampler-graph', sampler: { sampler: 'heun', steps: 4, grid: 'uniform' }, error: null, meta: { runId } });
    expect(junk.meta).toBeNull();
    expect(junk.error).toEqual(expect.any(String));
  });

  it('gives an empty list for a run without exports and not-found for an unknown run', async () => {
    expect(await api.call('models.list', { runId: bareRunId })).toEqual({ exports: [] });
    expect((await failure(api.call('models.list', { runId: 'no-such-run' }))).code).toBe('not-found');
  });
});
