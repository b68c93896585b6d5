// Opening a model file to sample through the API: by path, or uploaded in chunks and kept in the workspace's models folder.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { StudioError } from '../../src-core/errors';
import { createStudioHost } from '../services/studio-host';
import { modelFileName, OPENED_MODELS_FOLDER } from './opened-models';

const dir = mkdtempSync(join(tmpdir(), 'studio-open-model-'));
const workspace = join(dir, 'workspace');
const meta: StudioModelMeta = {
  parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: 'abc', seed: 7, studioVersion: null,
};
const mlp = buildMlp({ dataDim: 2, hidden: [8], timeEmbedding: { kind: 'raw' } });
const modelBytes = (seed: number) => writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(seed)), { metadata: studioMetadata(meta) });
const host = createStudioHost({ workspace, version: '0.0.0-test', host: 'server' });
const api = createDirectClient(host.dispatch, host.events);

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(fileName: string, written: Uint8Array): Promise<string> {
  const bytes = new Uint8Array(written);
  const { uploadId } = await api.call('datasets.uploadStart', { fileName, size: bytes.length });
  await api.call('datasets.uploadChunk', { uploadId, offset: 0, bytes });
  return uploadId;
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => (err instanceof StudioError ? err : null));
const kept = () => (existsSync(join(workspace, OPENED_MODELS_FOLDER)) ? readdirSync(join(workspace, OPENED_MODELS_FOLDER)).sort() : []);

describe('models.openFile', () => {
  it('describes a file by path where it lies', async () => {
    const path = join(dir, 'mine.onnx');
    writeFileSync(path, modelBytes(1));
    const { model } = await api.call('models.openFile', { path });
    expect(model).toMatchObject({ kind: 'onnx', key: `onnx:${path}`, name: 'mine.onnx', path, runId: 'abc', runName: 'Opened file' });
    expect(model.meta).toMatchObject({ parameterisation: 'velocity', dataShape: [2], seed: 7 });
    expect(kept()).toEqual([]);
  });

  it('keeps an upload in the models folder, reuses it for the same bytes and names another file of the same name apart', async () => {
    const first = await api.call('models.openFile', { upload: await upload('m.onnx', modelBytes(1)), fileName: 'm.onnx' });
    expect(first.model.path).toBe(join(workspace, OPENED_MODELS_FOLDER, 'm.onnx'));
    expect(new Uint8Array(readFileSync(first.model.path))).toEqual(modelBytes(1));
    const again = await api.call('models.openFile', { upload: await upload('m.onnx', modelBytes(1)), fileName: 'm.onnx' });
    expect(again.model.path).toBe(first.model.path);
    const other = await api.call('models.openFile', { upload: await upload('m.onnx', modelBytes(2)), fileName: 'm.onnx' });
    expect(other.model.name).toBe('m-2.onnx');
    expect(kept()).toEqual(['m-2.onnx', 'm.onnx']);
    // the staged uploads were let go once read
    expect(existsSync(join(workspace, '.imports')) ? readdirSync(join(workspace, '.imports')) : []).toEqual([]);
  });

  it('refuses a file that is not a studio network, in its own words, and keeps nothing', async () => {
    const err = await refusal(api.call('models.openFile', { upload: await upload('junk.onnx', new Uint8Array([1, 2, 3, 4])), fileName: 'junk.onnx' }));
    expect(err?.code).toBe('invalid-argument');
    expect(err?.message).toMatch(/^junk\.onnx cannot be sampled: it is not a network in the studio's format/);
    expect(err?.details?.[0].path).toEqual(['file']);
    expect(kept()).not.toContain('junk.onnx');
    const missing = await refusal(api.call('models.openFile', { path: join(dir, 'gone.onnx') }));
    expect(missing?.code).toBe('not-found');
    expect(missing?.message).toBe('gone.onnx cannot be opened: the file is not there');
  });

  it('takes exactly one of path or upload', async () => {
    expect((await refusal(api.call('models.openFile', {})))?.code).toBe('invalid-message');
    expect((await refusal(api.call('models.openFile', { path: '/a.onnx', upload: '0123456789abcdef', fileName: 'a.onnx' })))?.code).toBe('invalid-message');
  });

  it('makes a plain file name of what the browser gave', () => {
    expect(modelFileName('../../etc/x.onnx')).toBe('x.onnx');
    expect(modelFileName('C:\\models\\.hidden.ONNX')).toBe('hidden.onnx');
    expect(modelFileName('net')).toBe('net.onnx');
    expect(modelFileName('...')).toBe('model.onnx');
  });
});
