// Tests of the train store against a fake API: the data it follows, live checks, start, costly choices, progress, steering, configs, renames.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import type { DatasetInfo, SavedDataset } from '../../../src-core/api/contract';
import type { RunSummary } from '../../../src-core/api/methods/training';
import { StudioError } from '../../../src-core/errors';
import { parseTrainingConfig } from '../../../src-core/training/config';
import { useDatasetsStore } from '../data/datasets.store';
import { FakeApi } from '../../../test/support/fake-api';
import { useImportStore } from '../data/import.store';
import { useScheduleStore } from '../schedule/schedule.store';
import { useTrainStore } from './train.store';

const LIST: DatasetInfo[] = [{ id: 'two-moons', label: 'Two moons', description: 'Two arcs', params: [], hasMixture: false }];
const DIGITS: SavedDataset = { id: 'digits', name: 'Digits', source: { id: 'mnist', digits: [0, 1] }, shape: [500, 1, 28, 28], createdAt: '2026-01-01T00:00:00.000Z', classes: ['0', '1'] };
const TABLE: SavedDataset = { id: 'table', name: 'Table', source: { id: 'csv', file: 't.csv' }, shape: [300, 5], createdAt: '2026-01-01T00:00:00.000Z' };

function run(id: string, status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary {
  const at = '2025-01-01T00:00:00.000Z';
  return {
    id, name: id, status, createdAt: at, updatedAt: at, startedAt: at, finishedAt: null, lastStep: 0, totalSteps: 600, backend: null, error: null, active: status === 'running',
    describe: { data: 'Two moons, 1,000 points', model: 'MLP 64×64', objective: 'velocity · linear' }, ...extra,
  };
}

const cols = (...steps: number[]) => {
  const f = (k: number) => Float64Array.from(steps, (s) => s * k);
  return { total: steps.length, step: f(1), loss: f(0.01), smoothedLoss: f(0.02), lr: f(1e-6), gradNorm: f(1), stepsPerSec: f(1), time: f(1) };
};

function fakeApi(): FakeApi {
  const list: RunSummary[] = [];
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => [DIGITS, TABLE])
    .handle('datasets.generate', (p) => ({ shape: [p.count, 2], data: new Float32Array(p.count * 2), stats: { mean: [0, 0], std: [1, 1], min: [-1, -1], max: [1, 1] } }))
    .handle('training.list', () => ({ runs: [...list], unreadable: [] }))
    .handle('training.start', (p) => {
      list.push(run(`r${list.length + 1}`, 'running', { name: p.name ?? 'x' }));
      return { runId: `r${list.length}` };
    })
    .handle('training.pause', () => ({}))
    .handle('training.resume', () => ({}))
    .handle('training.cancel', () => ({}))
    .handle('training.metrics', () => cols(10, 20, 30))
    .handle('training.backends', () => {
      throw new StudioError('internal', 'not probed in this test');
    });
}

/** The Data section's store connected (two moons generated), then the train store. */
async function connected(api = fakeApi()) {
  const datasets = useDatasetsStore();
  await datasets.init(api);
  const store = useTrainStore();
  await store.init(api);
  return { api, store, datasets };
}

const progress = (runId: string, step: number, loss: number | null = 1 / step) => ({
  runId, step, totalSteps: 600, loss, smoothedLoss: loss, lr: 1e-3, gradNorm: 1, stepsPerSec: 100, etaSec: 5, backend: 'cpu',
});

const startCall = (api: FakeApi) => api.calls.filter((c) => c.method === 'training.start').map((c) => c.params as { config: Record<string, never>; name: string });

describe('train store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('trains the set the Data section shows, names the run after it, and starts with the form as shown', async () => {
    const { api, store } = await connected();
    expect(store.data).toMatchObject({ kind: 'builtin', request: { id: 'two-moons', count: 10_000 } });
    expect(store.form.name).toBe('Two moons 1');
    store.setField('hidden', '64, 64');
    store.setField('steps', 600);
    expect(await store.start()).toBe(true);
    const [call] = startCall(api);
    expect(call.name).toBe('Two moons 1');
    expect(call.config).toMatchObject({ data: { source: 'builtin', id: 'two-moons', params: { count: 10_000 } }, model: { hidden: [64, 64] }, objective: { schedule: { name: 'linear' } }, steps: 600 });
    expect(store.currentId).toBe('r1');
    expect(store.canPause).toBe(true);
    // the next run gets the next free name
    expect(store.form.name).toBe('Two moons 2');
  });

  it('an invalid field shows its message at once and nothing starts; a fixed one clears it', async () => {
    const { api, store } = await connected();
    store.setField('hidden', '64, x');
    expect(store.formErrors.hidden).toMatch(/whole numbers above 0/);
    expect(store.canStart).toBe(false);
    expect(await store.start()).toBe(false);
    store.setField('hidden', '64');
    expect(store.formErrors.hidden).toBeUndefined();
    store.setField('batchSize', -3);
    expect(store.formErrors.batchSize).toBe('must be at least 1');
    expect(await store.start()).toBe(false);
    expect(startCall(api)).toHaveLength(0);
  });

  it('a costly choice is shown first; the second start goes ahead, and a change asks again', async () => {
    const { api, store } = await connected();
    store.setField('batchSize', 1_000_000);
    expect(store.warnings.length).toBeGreaterThan(0);
    expect(await store.start()).toBe(false);
    expect(store.confirming).toBe(true);
    store.setField('steps', 200);
    expect(store.confirming).toBe(false);
    expect(await store.start()).toBe(false);
    store.reconsider();
    expect(store.confirming).toBe(false);
    await store.start();
    expect(await store.start()).toBe(true);
    expect(startCall(api)[0].config).toMatchObject({ batchSize: 1_000_000, steps: 200 });
  });

  it('follows a saved set opened in the Data section; images bring a class-conditional U-Net', async () => {
    const { api, store } = await connected();
    api.handle('datasets.load', (p) => ({ id: p.id, shape: [16, 1, 28, 28], total: 500, data: new Float32Array(16 * 784), labels: new Int32Array(16), classes: ['0', '1'] }));
    const imports = useImportStore();
    imports.init(api);
    await imports.open(DIGITS);
    await nextTick();
    expect(store.data).toMatchObject({ kind: 'saved', set: { id: 'digits' } });
    expect(store.form.family).toBe('unet');
    expect(store.form.conditional).toBe(true);
    expect(store.checked.config?.model).toMatchObject({ family: 'unet', classes: 2 });
    expect(store.form.name).toBe('Digits 1');
    expect(store.form.normalise).toBe('none');
    store.chooseSaved('table');
    expect(store.form.family).toBe('mlp');
    expect(store.checked.config?.model.classes).toBeNull();
    // a saved table may be of any scale: it is standardised, until the user picks otherwise
    expect(store.form.normalise).toBe('standardise');
    store.chooseSaved('');
    expect(store.data).toMatchObject({ kind: 'builtin' });
    expect(store.form.normalise).toBe('none');
    store.setField('normalise', 'standardise');
    store.chooseSaved('digits');
    expect(store.form.normalise).toBe('standardise');
  });

  it('loads a config.json into the form, the data and the schedule, and saves the same config back', async () => {
    const { store } = await connected();
    const schedule = useScheduleStore();
    const file = parseTrainingConfig({ data: { source: 'workspace', id: 'table' }, model: { family: 'mlp', hidden: [32, 16] }, objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } }, steps: 1234 });
    expect(store.loadConfigJson(JSON.stringify(file), 'config.json')).toBe(true);
    expect(store.data).toMatchObject({ kind: 'saved', set: { id: 'table' } });
    expect(store.form).toMatchObject({ hidden: '32, 16', parameterisation: 'eps', steps: 1234 });
    expect(schedule.spec.name).toBe('vp-cosine');
    expect(JSON.parse(store.configJson()!)).toEqual(file);
    expect(store.loadConfigJson('{ not json', 'a.json')).toBe(false);
    expect(store.fileError).toMatch(/^Could not load a\.json: it is not JSON/);
    expect(store.loadConfigJson(JSON.stringify({ steps: 0 }), 'b.json')).toBe(false);
    expect(store.fileError).toMatch(/steps: must be at least 1/);
    expect(store.loadConfigJson(JSON.stringify({ data: { source: 'workspace', id: 'gone' } }), 'c.json')).toBe(false);
    expect(store.fileError).toMatch(/saved set 'gone', which is not in this workspace/);
    // nothing half-loaded: the form kept the good file's values
    expect(store.form.steps).toBe(1234);
    store.setField('steps', 0);
    expect(store.configJson()).toBeNull();
  });

  it('renames a run and shows the list error when the host refuses', async () => {
    const { api, store } = await connected();
    await store.start();
    api.handle('training.rename', (p) => ({ run: run(p.runId, 'running', { name: p.name }) }));
    expect(await store.rename('r1', 'my moons')).toBe(true);
    expect(store.runs.find((r) => r.id === 'r1')?.name).toBe('my moons');
    api.handle('training.rename', () => {
      throw new StudioError('not-found', "no run 'r1'");
    });
    expect(await store.rename('r1', 'x')).toBe(false);
    expect(store.listError).toMatch(/no run 'r1'/);
  });

  it('deletes a run: it leaves the list and the screen; a refusal shows as the list error', async () => {
    const { api, store } = await connected();
    await store.start();
    expect(store.currentId).toBe('r1');
    api.handle('training.delete', () => ({}));
    expect(await store.remove('r1')).toBe(true);
    expect(api.calls.filter((c) => c.method === 'training.delete').map((c) => c.params)).toEqual([{ runId: 'r1' }]);
    expect(store.runs.map((r) => r.id)).toEqual([]);
    expect(store.currentId).toBeNull();
    expect(store.metrics.length).toBe(0);
    api.handle('training.delete', () => {
      throw new StudioError('not-found', "no run 'r9'");
    });
    expect(await store.remove('r9')).toBe(false);
    expect(store.listError).toMatch(/^Could not delete the run: no run 'r9'$/);
  });

  it('a run deleted elsewhere (another window, the command line) leaves the list on its event', async () => {
    const { api, store } = await connected();
    await store.start();
    api.emit('training.status', { run: run('r2', 'paused', { active: false }), message: null });
    expect(store.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    api.emit('training.deleted', { runId: 'r2' });
    expect(store.runs.map((r) => r.id)).toEqual(['r1']);
    expect(store.currentId).toBe('r1');
    api.emit('training.deleted', { runId: 'r1' });
    expect(store.currentId).toBeNull();
    store.dispose();
    expect(api.listenerCount('training.deleted')).toBe(0);
  });

  it('a cancelled run offers no resume (the host refuses it: a new run trains more)', async () => {
    const { api, store } = await connected();
    await store.start();
    api.emit('training.status', { run: run('r1', 'cancelled', { active: false, lastStep: 300 }), message: null });
    expect(store.canResume).toBe(false);
    expect(store.canCancel).toBe(false);
  });

  it('progress of the shown run grows the loss history (a repeated step is ignored); previews replace the points', async () => {
    const { api, store } = await connected();
    await store.start();
    const v0 = store.metricsVersion;
    api.emit('training.progress', progress('r1', 10));
    api.emit('training.progress', progress('r1', 20));
    api.emit('training.progress', progress('r1', 20));
    api.emit('training.progress', progress('other', 30));
    api.emit('training.progress', progress('r1', 25, null));
    expect(store.metrics.length).toBe(2);
    expect(Array.from(store.metrics.view('loss'))).toEqual([0.1, 0.05]);
    expect(store.metricsVersion).toBe(v0 + 2);
    expect(store.progress?.step).toBe(25);
    api.emit('training.preview', { runId: 'r1', step: 20, points: new Float32Array([1, 2, 3, 4]), shape: [2, 2], nfe: 16 });
    expect(store.preview).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(store.previewStep).toBe(20);
  });

  it('pause, resume and cancel call the API for the shown run; an error is shown inline', async () => {
    const { api, store } = await connected();
    await store.start();
    await store.pause();
    api.emit('training.status', { run: run('r1', 'paused', { active: true }), message: null });
    expect(store.status).toBe('paused');
    expect(store.canResume).toBe(true);
    await store.resume();
    expect(api.calls.filter((c) => /pause|resume/.test(c.method)).map((c) => [c.method, c.params])).toEqual([
      ['training.pause', { runId: 'r1' }],
      ['training.resume', { runId: 'r1' }],
    ]);
    api.handle('training.cancel', () => {
      throw new StudioError('not-found', "no run 'r1'");
    });
    await store.cancel();
    expect(store.actionError).toBe("no run 'r1'");
    expect(store.busy).toBeNull();
  });

  it('a finished run reloads its whole history from training.metrics', async () => {
    const { api, store } = await connected();
    await store.start();
    api.emit('training.progress', progress('r1', 5));
    api.emit('training.status', { run: run('r1', 'completed', { active: false, lastStep: 600 }), message: null });
    await new Promise((r) => setTimeout(r, 0));
    expect(Array.from(store.metrics.view('step'))).toEqual([10, 20, 30]);
    expect(store.canResume).toBe(false);
    expect(store.canCancel).toBe(false);
  });

  it('opening a crashed run shows its config and history and offers resume', async () => {
    const api = fakeApi()
      .handle('training.list', () => ({ runs: [run('old', 'failed', { active: false, error: 'NaN loss' })], unreadable: [] }))
      .handle('training.get', () => ({ run: run('old', 'failed', { active: false, error: 'NaN loss' }), config: parseTrainingConfig({ steps: 600, model: { family: 'mlp', hidden: [32, 32] } }) }));
    const store = useTrainStore();
    await store.init(api);
    await store.open('old');
    expect(store.currentId).toBe('old');
    expect(store.currentConfig?.steps).toBe(600);
    expect(store.form.hidden).toBe('32, 32');
    expect(store.form.steps).toBe(600);
    expect(store.metrics.length).toBe(3);
    expect(store.canResume).toBe(true);
    expect(store.current?.error).toBe('NaN loss');
    store.dispose();
    expect(api.listenerCount('training.progress')).toBe(0);
  });

  it("asks the host which backends run here, and flags a forced choice the probe found unable to run", async () => {
    const report = {
      backends: [
        { name: 'onnxruntime-cuda' as const, available: false as const, reason: "ONNX Runtime's CUDA provider is not installed", fix: 'npm run setup:cuda' },
        { name: 'tensorflow-gpu' as const, available: false as const, reason: '@tensorflow/tfjs-node-gpu is not installed', fix: 'npm install @tensorflow/tfjs-node-gpu (an optional dependency)' },
        { name: 'onnxruntime-webgpu' as const, available: false as const, reason: "ONNX Runtime's WebGPU provider did not start: No supported adapters", fix: null },
        { name: 'onnxruntime' as const, available: true as const, device: 'CPU, 2 threads' },
        { name: 'tensorflow' as const, available: false as const, reason: '@tensorflow/tfjs-node is not installed', fix: 'npm install @tensorflow/tfjs-node (an optional dependency)' },
        { name: 'wasm' as const, available: true as const, device: 'WebAssembly' },
        { name: 'cpu' as const, available: true as const, device: 'CPU' },
      ],
      auto: 'onnxruntime' as const,
      sampling: { available: true as const, device: 'CPU, 2 threads', notes: [] },
      probedAt: '2026-01-01T00:00:00.000Z',
    };
    let fail = true;
    const api = fakeApi().handle('training.backends', () => {
      if (fail) throw new StudioError('internal', 'the backend probe is missing');
      return report;
    });
    const store = useTrainStore();
    await store.init(api);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.backends).toBeNull();
    expect(store.backendsError).toBe('the backend probe is missing');
    expect(store.backendsLoading).toBe(false);
    fail = false;
    await store.loadBackends();
    expect(store.backendsError).toBeNull();
    expect(store.backends?.auto).toBe('onnxruntime');
    expect(store.forcedBackend).toBeNull();
    store.setField('backend', 'tensorflow');
    expect(store.forcedBackend).toEqual({ name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed', fix: expect.stringMatching(/^npm install @tensorflow\/tfjs-node /) });
    store.setField('backend', 'wasm');
    expect(store.forcedBackend).toBeNull();
    expect(api.calls.filter((c) => c.method === 'training.backends')).toHaveLength(2);
  });
});
