// models.catalog over the direct client: a run's metadata is the one its ONNX export carries, saved sets give their true shapes, ideal models their mixtures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { CatalogEntry } from '../../src-core/api/methods/models';
import type { StudioApi } from '../../src-core/api/studio-api';
import { datasetMixture } from '../../src-core/data';
import { initParams } from '../../src-core/graph';
import { describeModel } from '../../src-core/onnx/studio-format';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import { configHash, createRun, writeCheckpoint } from '../../src-main/runs';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';

const MOONS: TrainingConfigInput = {
  data: { source: 'builtin', id: 'two-moons', params: { count: 300, seed: 5 }, normalise: 'standardise' },
  model: { family: 'mlp', hidden: [16], timeEmbedding: { kind: 'fourier', dim: 8, scale: 2 } },
  objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } },
  steps: 12,
};
/** A saved table of 3 columns, and one of 2-class 1x4x4 images. */
const TABLE: TrainingConfigInput = { data: { source: 'workspace', id: 'table3' }, model: { family: 'mlp', hidden: [8] }, steps: 5 };
const IMAGES: TrainingConfigInput = {
  data: { source: 'workspace', id: 'pics', normalise: 'standardise' },
  model: { family: 'unet', channels: [4, 8], classes: 2, groups: 2 },
  steps: 5,
};

let workspace: string;
let studio: StudioHost;
let api: StudioApi;
const ids: Record<string, string> = {};

/** Writes a saved set by hand: data.f32, labels.i32 and meta.json as the data-set folder holds them. */
function saveSet(id: string, shape: number[], extra: Record<string, unknown> = {}): void {
  const dir = join(workspace, 'datasets', id);
  mkdirSync(dir, { recursive: true });
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(11);
  writeFileSync(join(dir, 'data.f32'), new Uint8Array(rng.fillNormal(new Float32Array(n)).buffer));
  writeFileSync(join(dir, 'labels.i32'), new Uint8Array(Int32Array.from({ length: shape[0] }, (_, i) => i % 2).buffer));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ id, name: `set ${id}`, source: { id: 'csv' }, shape, createdAt: '2025-01-01T00:00:00.000Z', ...extra }));
}

/** Creates a run with one checkpoint of freshly drawn weights. */
async function trainedRun(config: TrainingConfigInput, itemShape: number[], name: string): Promise<string> {
  const valid = parseTrainingConfig(config);
  const { id, dir } = await createRun(workspace, parseTrainingConfig(config), name);
  const weights = initParams(buildModel(valid.model, itemShape).layout, new Rng(3));
  const zeros = new Float32Array(weights.length);
  await writeCheckpoint(dir, {
    step: 7, weights, ema: weights.slice(), optimiser: { step: 7, m: zeros, v: zeros }, rng: {}, dataCursor: { epoch: 0, position: 0, permutationSeed: 1 },
    configHash: configHash(valid), backend: 'cpu',
  });
  return id;
}

const entry = (models: CatalogEntry[], key: string) => models.find((m) => m.key === key);

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'studio-catalog-'));
  studio = createStudioHost({ workspace, version: '0.0.0-test', host: 'direct' });
  api = createDirectClient(studio.dispatch, studio.events);
  saveSet('table3', [50, 3]);
  saveSet('pics', [20, 1, 4, 4], { classes: ['cat', 'dog'], normalisation: { scaled: 'none', axis: 'channel', mean: [0], std: [1], min: [-2.5], max: [3] } });
  ids.moons = await trainedRun(MOONS, [2], 'moons');
  ids.table = await trainedRun(TABLE, [3], 'table');
  ids.images = await trainedRun(IMAGES, [1, 4, 4], 'images');
});
afterAll(async () => {
  await studio.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('models.catalog', () => {
  it("a run's metadata is the metadata of the ONNX file exported from it, read back from the file", async () => {
    for (const key of ['moons', 'images'] as const) {
      const runId = ids[key];
      const { path } = await api.call('models.export', { runId, name: `${key}-export` });
      const fromFile = describeModel(new Uint8Array(readFileSync(path))).meta;
      const { models } = await api.call('models.catalog', {});
      const run = entry(models, `run:${runId}`);
      expect(run?.kind).toBe('run');
      expect(run?.meta, key).toEqual(fromFile);
      // the export itself is listed with what its file says
      const file = entry(models, `onnx:${path}`);
      expect(file).toMatchObject({ kind: 'onnx', runId, name: `${key}-export.onnx`, runName: key });
      expect(file?.meta).toEqual(fromFile);
    }
  });

  it('a run on a set that is not 2-D gets its true shape; an image set its class names and value range', async () => {
    const { models } = await api.call('models.catalog', {});
    const table = entry(models, `run:${ids.table}`);
    const images = entry(models, `run:${ids.images}`);
    expect(table?.meta?.dataShape).toEqual([3]);
    expect(images?.meta).toMatchObject({ dataShape: [1, 4, 4], classes: { count: 2, nullClass: 2, guidance: 1 } });
    expect(images?.kind === 'run' && images.details).toEqual({ family: 'unet', timeEmbedding: { kind: 'sinusoidal', dim: expect.any(Number), scale: expect.any(Number) }, classNames: ['cat', 'dog'], range: [-2.5, 3] });
    expect(images?.kind === 'run' && images.data).toEqual({ kind: 'saved', datasetId: 'pics', name: 'set pics' });
  });

  it('a built-in run brings its time embedding and the requests that draw its training set and held-out points', async () => {
    const { models } = await api.call('models.catalog', { runId: ids.moons });
    expect(models.map((m) => m.kind)).toEqual(['run', 'onnx']);
    const run = models[0];
    if (run.kind !== 'run') throw new Error('a run entry');
    expect(run.meta).toMatchObject({ parameterisation: 'eps', schedule: { name: 'vp-cosine' }, dataShape: [2], classes: null, runId: ids.moons });
    expect(run.meta?.normalisation?.mean).toHaveLength(2);
    expect(run.details).toEqual({ family: 'mlp', timeEmbedding: { kind: 'fourier', dim: 8, scale: 2 }, classNames: null, range: null });
    expect(run.data).toMatchObject({ kind: 'generated', datasetId: 'two-moons', label: 'Two moons', request: { id: 'two-moons', count: 300, seed: 5 } });
    if (run.data?.kind !== 'generated') throw new Error('a generated set');
    expect(run.data.heldOut).toMatchObject({ id: 'two-moons', count: 300, seed: 5 + 1_000_003 });
  });

  it('the ideal models of the mixture sets come first, with their mixtures', async () => {
    const { models } = await api.call('models.catalog', {});
    const oracles = models.filter((m) => m.kind === 'oracle');
    expect(oracles.map((m) => m.key)).toEqual(['oracle:eight-gaussians', 'oracle:gaussian-mixture']);
    expect(models.slice(0, 2)).toEqual(oracles);
    expect(oracles[0]).toMatchObject({ datasetLabel: 'Eight Gaussians', mixture: datasetMixture('eight-gaussians'), meta: { dataShape: [2], classes: null }, data: { kind: 'mixture' } });
  });

  it('a run whose saved set is gone is listed with why it cannot be described; an unknown run is not found', async () => {
    const lost = await createRun(workspace, parseTrainingConfig({ ...TABLE, data: { source: 'workspace', id: 'gone' } }), 'lost');
    const { models } = await api.call('models.catalog', { runId: lost.id });
    expect(models).toEqual([expect.objectContaining({ kind: 'run', meta: null, details: null, data: null, problem: "its data set 'gone' is not in the workspace any more" })]);
    await expect(api.call('models.catalog', { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
