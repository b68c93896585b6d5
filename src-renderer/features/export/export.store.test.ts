// Tests of the Export store against a fake API: run list, exports, an export with its verdict, errors.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { StudioError } from '../../../src-core/errors';
import type { ExportedModel } from '../../../src-core/api/methods/models';
import { FakeApi } from '../../../test/support/fake-api';
import { useExportStore, verdictOf } from './export.store';

const run = (id: string, createdAt: string, lastStep: number) => ({
  id, name: `run ${id}`, status: 'completed' as const, createdAt, updatedAt: createdAt, startedAt: null, finishedAt: null, lastStep, totalSteps: 10, backend: null, error: null, active: false,
});
const META = { parameterisation: 'velocity' as const, schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: 'b', seed: 0, studioVersion: '0.1.0' };
const file = (name: string, kind: ExportedModel['kind'] = 'model'): ExportedModel => ({
  name, path: `/w/runs/b/exports/${name}`, bytes: 100, modifiedAt: '2025-01-02', kind, meta: META, error: null, sampler: kind === 'sampler-graph' ? { sampler: 'heun', steps: 8, grid: 'uniform' } : null,
});

function fakeApi(): FakeApi {
  const files: ExportedModel[] = [];
  return new FakeApi()
    .handle('training.list', () => ({ runs: [run('a', '2025-01-01', 0), run('b', '2025-01-02', 10), run('c', '2024-12-31', 5)], unreadable: [] }))
    .handle('models.list', () => ({ exports: [...files] }))
    .handle('models.export', (p) => {
      const name = `${p.name}.onnx`;
      files.push(file(name, p.samplerGraph ? 'sampler-graph' : 'model'));
      return { path: `/w/runs/${p.runId}/exports/${name}`, bytes: 100, step: 10, warnings: [] };
    });
}

describe('export store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists the runs newest first and selects the newest one with a checkpoint', async () => {
    const store = useExportStore();
    await store.init(fakeApi());
    expect(store.runs.map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(store.exportable.map((r) => r.id)).toEqual(['b', 'c']);
    expect(store.selectedRunId).toBe('b');
  });

  it('exports, then reads the file back for its verdict and lists it', async () => {
    const api = fakeApi();
    const store = useExportStore();
    await store.init(api);
    await store.exportRun({ name: ' net ', samplerGraph: null, overwrite: false });
    expect(api.calls.find((c) => c.method === 'models.export')?.params).toEqual({ runId: 'b', name: 'net' });
    expect(store.outcome?.path).toBe('/w/runs/b/exports/net.onnx');
    expect(store.outcome?.listed?.name).toBe('net.onnx');
    expect(store.exports.map((e) => e.name)).toEqual(['net.onnx']);
    await store.exportRun({ name: 'graph', samplerGraph: { sampler: 'heun', steps: 8 }, overwrite: true });
    expect(api.calls.filter((c) => c.method === 'models.export')[1].params).toEqual({ runId: 'b', name: 'graph', samplerGraph: { sampler: 'heun', steps: 8 }, overwrite: true });
    expect(store.outcome?.listed?.kind).toBe('sampler-graph');
  });

  it('a web page goes to models.exportWeb with its sampler graph, and the outcome says it is a page', async () => {
    const api = fakeApi().handle('models.exportWeb', (p) => ({ path: `/w/runs/${p.runId}/exports/${p.name}`, bytes: 14_000_000, step: 10, warnings: [], files: [{ path: 'index.html', bytes: 100 }] }));
    const store = useExportStore();
    await store.init(api);
    await store.exportRun({ name: ' share ', samplerGraph: { sampler: 'heun', steps: 16 }, overwrite: false, web: true });
    expect(api.calls.find((c) => c.method === 'models.exportWeb')?.params).toEqual({ runId: 'b', name: 'share', samplerGraph: { sampler: 'heun', steps: 16 } });
    expect(api.calls.some((c) => c.method === 'models.export')).toBe(false);
    expect(store.outcome).toMatchObject({ path: '/w/runs/b/exports/share', web: true, listed: null });
  });

  it('a Triton repository goes to models.export with its options, and the outcome lists the files written', async () => {
    const files = [{ path: 'flow/config.pbtxt', bytes: 900 }, { path: 'flow/1/model.onnx', bytes: 40_000 }];
    const api = fakeApi().handle('models.export', (p) => ({ path: `/w/runs/${p.runId}/exports/${p.name}`, bytes: 40_900, step: 10, warnings: [], files }));
    const store = useExportStore();
    await store.init(api);
    await store.exportRun({ name: 'repo', samplerGraph: null, overwrite: false, triton: { model: 'flow', maxBatchSize: 64 } });
    expect(api.calls.find((c) => c.method === 'models.export')?.params).toEqual({ runId: 'b', name: 'repo', triton: { model: 'flow', maxBatchSize: 64 } });
    expect(store.outcome).toMatchObject({ path: '/w/runs/b/exports/repo', web: false, triton: { files } });
  });

  it('an export error is reported and nothing is claimed saved', async () => {
    const api = fakeApi().handle('models.export', () => {
      throw new StudioError('duplicate-name', "run b: an export named 'net.onnx' exists already", [{ path: ['name'], message: "an export named 'net.onnx' exists already" }]);
    });
    const store = useExportStore();
    await store.init(api);
    await store.exportRun({ name: 'net', samplerGraph: null, overwrite: false });
    expect(store.exportError).toBe("An export named 'net.onnx' exists already: choose another name, or tick “Replace a file of the same name”.");
    expect(store.outcome).toBeNull();
    expect(store.exporting).toBe(false);
  });

  it('the verdict names the inputs and metadata, or why the file is not a studio model', () => {
    expect(verdictOf(file('m.onnx'))).toEqual({ ok: true, text: 'valid studio model: inputs x, t; metadata parameterisation velocity, schedule linear, data shape [2], not normalised, unconditional' });
    expect(verdictOf(file('g.onnx', 'sampler-graph')).text).toMatch(/^valid sampler graph: input noise; heun, 8 steps, uniform grid/);
    expect(verdictOf({ ...file('x.onnx'), meta: null, error: 'model has no input t' })).toEqual({ ok: false, text: 'not a valid studio model: model has no input t' });
    expect(verdictOf({ ...file('repo', 'triton-repository'), models: ['flow', 'flow-sampler'] }).text).toMatch(/^Triton model repository: models flow, flow-sampler; metadata parameterisation velocity/);
  });

  it('follows run status events', async () => {
    const api = fakeApi();
    const store = useExportStore();
    await store.init(api);
    const before = api.calls.filter((c) => c.method === 'training.list').length;
    api.emit('training.status', { run: run('b', '2025-01-02', 10), message: null });
    await Promise.resolve();
    expect(api.calls.filter((c) => c.method === 'training.list').length).toBe(before + 1);
    store.dispose();
    expect(api.listenerCount('training.status')).toBe(0);
  });
});
