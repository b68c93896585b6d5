// Tests of the train store against a fake API: config checks, start, live progress and previews, steering, reopening.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { RunSummary } from '../../src-core/api/methods/training';
import { StudioError } from '../../src-core/errors';
import { parseTrainingConfig } from '../../src-core/training/config';
import { FakeApi } from './fake-api';
import { useTrainStore } from './train.store';

const MOONS = { id: 'two-moons', count: 1000, seed: 0 };
const LINEAR = { name: 'linear', sigmaMin: 0 };

function run(id: string, status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary {
  const at = '2025-01-01T00:00:00.000Z';
  return { id, name: id, status, createdAt: at, updatedAt: at, startedAt: at, finishedAt: null, lastStep: 0, totalSteps: 600, backend: null, error: null, active: status === 'running', ...extra };
}

const cols = (...steps: number[]) => {
  const f = (k: number) => Float64Array.from(steps, (s) => s * k);
  return { total: steps.length, step: f(1), loss: f(0.01), smoothedLoss: f(0.02), lr: f(1e-6), gradNorm: f(1), stepsPerSec: f(1), time: f(1) };
};

function fakeApi(): FakeApi {
  const list: RunSummary[] = [];
  return new FakeApi()
    .handle('training.list', () => ({ runs: [...list], unreadable: [] }))
    .handle('training.start', (p) => {
      list.push(run('r1', 'running'));
      expect(p.config).toBeTypeOf('object');
      return { runId: 'r1' };
    })
    .handle('training.pause', () => ({}))
    .handle('training.resume', () => ({}))
    .handle('training.cancel', () => ({}))
    .handle('training.metrics', () => cols(10, 20, 30));
}

const progress = (runId: string, step: number, loss: number | null = 1 / step) => ({
  runId, step, totalSteps: 600, loss, smoothedLoss: loss, lr: 1e-3, gradNorm: 1, stepsPerSec: 100, etaSec: 5, backend: 'cpu',
});

describe('train store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts a run with the data set and schedule in its config, and shows it', async () => {
    const api = fakeApi();
    const store = useTrainStore();
    await store.init(api);
    store.setField('hidden', '64, 64');
    store.setField('steps', 600);
    expect(await store.start(MOONS, LINEAR, 'moons')).toBe(true);
    const call = api.calls.find((c) => c.method === 'training.start')?.params as { config: Record<string, never>; name: string };
    expect(call.name).toBe('moons');
    expect(call.config).toMatchObject({ data: { source: 'builtin', id: 'two-moons', params: { count: 1000, seed: 0 } }, model: { hidden: [64, 64] }, objective: { schedule: LINEAR }, steps: 600 });
    expect(store.currentId).toBe('r1');
    expect(store.runs.map((r) => r.id)).toEqual(['r1']);
    expect(store.canPause).toBe(true);
  });

  it('a bad field is reported beside it and nothing is started', async () => {
    const api = fakeApi();
    const store = useTrainStore();
    await store.init(api);
    store.setField('hidden', '64, x');
    expect(await store.start(MOONS, LINEAR)).toBe(false);
    expect(store.formErrors.hidden).toMatch(/model\.hidden/);
    store.setField('hidden', '64');
    expect(store.formErrors.hidden).toBeUndefined();
    store.setField('warmupSteps', 5000);
    expect(await store.start(MOONS, LINEAR)).toBe(false);
    expect(store.formErrors.warmupSteps).toMatch(/warm-up/);
    expect(await store.start(null, LINEAR)).toBe(false);
    expect(store.formErrors.data).toMatch(/Data section/);
    expect(api.calls.some((c) => c.method === 'training.start')).toBe(false);
  });

  it('progress of the shown run grows the loss history (a repeated step is ignored); previews replace the points', async () => {
    const api = fakeApi();
    const store = useTrainStore();
    await store.init(api);
    await store.start(MOONS, LINEAR);
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
    const api = fakeApi();
    const store = useTrainStore();
    await store.init(api);
    await store.start(MOONS, LINEAR);
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
    const api = fakeApi();
    const store = useTrainStore();
    await store.init(api);
    await store.start(MOONS, LINEAR);
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
        { name: 'tensorflow-gpu' as const, available: false as const, reason: '@tensorflow/tfjs-node-gpu is not installed' },
        { name: 'onnxruntime' as const, available: true as const, device: 'CPU, 2 threads' },
        { name: 'tensorflow' as const, available: false as const, reason: '@tensorflow/tfjs-node is not installed' },
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
