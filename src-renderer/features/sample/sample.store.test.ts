// Tests of the Sample store against a fake API: model choices (runs followed live), one noise for both panels, image models, the scrubber, the metric sweep.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo, Params } from '../../../src-core/api/contract';
import type { ExportedModel } from '../../../src-core/api/methods/models';
import type { RunSummary } from '../../../src-core/api/methods/training';
import { parseTrainingConfig, type TrainingConfig } from '../../../src-core/training/config';
import { SWEEP_STEPS } from './metric-sweep';
import { useDatasetsStore } from '../data/datasets.store';
import type { ModelMeta } from '../../../src-core/api/methods/models';
import { FakeApi } from '../../../test/support/fake-api';
import { exportEntries, oracleEntries, runEntry } from '../../../test/support/fake-catalog';
import { useSampleStore } from './sample.store';

const LIST: DatasetInfo[] = [
  { id: 'eight-gaussians', label: 'Eight Gaussians', description: '', params: [], hasMixture: true },
  { id: 'gaussian-mixture', label: 'Gaussian mixture', description: '', params: [], hasMixture: true },
  { id: 'two-moons', label: 'Two moons', description: '', params: [], hasMixture: false },
];
const SAMPLERS = [
  { name: 'euler', label: 'Euler', kind: 'ode', nfePerStep: 1, stochastic: false, noiseWhen: null, options: [] },
  {
    name: 'dopri5', label: 'Dopri', kind: 'ode', nfePerStep: 'adaptive', stochastic: false, noiseWhen: null,
    options: [{ name: 'rtol', label: 'Relative tolerance', meaning: 'step error', min: 1e-10, max: 1, integer: false, default: 1e-5 }],
  },
  {
    name: 'euler-maruyama', label: 'EM', kind: 'sde', nfePerStep: 1, stochastic: true, noiseWhen: null,
    options: [{ name: 'gamma', label: 'gamma', meaning: 'noise scale', min: 0, max: 100, integer: false, default: 1 }],
  },
] as const;
const RUN: RunSummary = { id: 'r1', name: 'moons', status: 'completed', createdAt: '2025-01-01', updatedAt: '2025-01-01', startedAt: '2025-01-01', finishedAt: null, lastStep: 10, totalSteps: 10, backend: null, error: null, active: false };
const CONFIGS: Record<string, TrainingConfig> = {
  r1: parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons' }, steps: 10 }),
  r2: parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons' }, model: { family: 'mlp', classes: 3 }, steps: 100 }),
  r3: parseTrainingConfig({ data: { source: 'workspace', id: 'digits' }, model: { family: 'unet', channels: [8, 16] }, steps: 100 }),
};
const DIGITS = { id: 'digits', name: 'digits', source: { id: 'mnist' as const }, shape: [40, 1, 4, 4], createdAt: '2025-01-01' };
const EXPORT: ExportedModel = {
  name: 'm.onnx', path: '/w/runs/r1/exports/m.onnx', bytes: 10, modifiedAt: '2025-01-01', kind: 'model', sampler: null, error: null,
  meta: { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: { count: 3, nullClass: 3, guidance: 2 }, runId: 'r1', seed: 0, studioVersion: null },
};

/** What the studio's catalog says of each run's network (2-D points, unconditional, unless said). */
const META: Record<string, Partial<ModelMeta>> = { r2: { classes: { count: 3, nullClass: 3, guidance: 1 } }, r3: { dataShape: [1, 4, 4] } };
const entriesOf = (run: RunSummary) => [runEntry(run, META[run.id] ?? {}), ...(run.id === 'r1' ? exportEntries(run, [EXPORT, { ...EXPORT, name: 'g.onnx', kind: 'sampler-graph' }]) : [])];

/** A sampler stand-in: states [steps + 1, n, ...item] where step s holds noise * (1 + s * gamma), and x0 that times -1. */
function fakeApi(runs: RunSummary[] = [RUN]): FakeApi {
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => [DIGITS])
    .handle('training.list', () => ({ runs, unreadable: [] }))
    .handle('training.get', (p) => ({ run: runs.find((r) => r.id === p.runId) ?? RUN, config: CONFIGS[p.runId] }))
    .handle('models.list', (p) => ({ exports: p.runId === 'r1' ? [EXPORT, { ...EXPORT, name: 'g.onnx', kind: 'sampler-graph' }] : [] }))
    .handle('models.catalog', (p) => ({ models: p.runId === undefined ? [...oracleEntries(LIST), ...runs.flatMap(entriesOf)] : entriesOf(runs.find((r) => r.id === p.runId) ?? { ...RUN, id: p.runId }) }))
    .handle('sampling.samplers', () => SAMPLERS)
    .handle('sampling.cancel', () => ({ cancelled: true }))
    .handle('sampling.run', (p) => {
      const item = p.model.kind === 'run' && p.model.runId === 'r3' ? [1, 4, 4] : [2];
      const d = item.reduce((a, b) => a * b, 1);
      const noise = p.noise ?? new Float32Array((p.n ?? 1) * d).fill(0.5);
      const n = noise.length / d;
      const x = new Float32Array(noise.length * (p.steps + 1));
      for (let s = 0; s <= p.steps; s++) for (let i = 0; i < noise.length; i++) x[s * noise.length + i] = noise[i] * (1 + s * (p.gamma ?? 0));
      const x0 = x.map((v) => -v);
      const times = Float64Array.from({ length: p.steps + 1 }, (_, s) => 1 - s / p.steps);
      const samples = x.slice(p.steps * noise.length);
      return { id: p.id ?? 'x', samples, shape: [n, ...item], nfe: p.steps, times, seconds: 0, trajectory: { indices: [], times, x, x0, shape: [p.steps + 1, n, ...item] } };
    });
}
const settle = () => new Promise((r) => setTimeout(r, 0));

const runCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'sampling.run').map((c) => c.params as Params<'sampling.run'>);

describe('sample store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('offers the ideal model of mixture sets first, then each run with its sampleable exports; sampler lists are split', async () => {
    const store = useSampleStore();
    await store.init(fakeApi());
    expect(store.choices.map((c) => c.key)).toEqual(['oracle:eight-gaussians', 'oracle:gaussian-mixture', 'run:r1', 'onnx:/w/runs/r1/exports/m.onnx']);
    expect(store.choices[2].label).toBe('moons: current EMA weights (step 10 of 10, completed)');
    expect(store.selectedKey).toBe('oracle:eight-gaussians');
    expect(store.odeSamplers.map((s) => s.name)).toEqual(['euler']);
    expect(store.sdeSamplers.map((s) => s.name)).toEqual(['euler-maruyama']);
    expect(store.classes).toBe(0);
  });

  it('runs both panels from the same explicit noise, gamma only where the sampler takes it', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ steps: 4, count: 50, gamma: 0.5 });
    await store.run();
    const [ode, sde] = runCalls(api);
    expect(ode.noise).toBe(sde.noise);
    expect(ode.noise?.length).toBe(100);
    expect(ode.record).toBe(50);
    expect(ode).not.toHaveProperty('gamma');
    expect(sde.gamma).toBe(0.5);
    expect(ode.model).toMatchObject({ kind: 'oracle', schedule: { name: 'linear' } });
    expect(store.stepCount).toBe(4);
    expect(store.comparison?.sde.gamma).toBe(0.5);
    expect(store.comparison?.ode.x.length).toBe(5 * 100);
  });

  it('the scrubber clamps, and a re-run with the same steps keeps the step', async () => {
    const store = useSampleStore();
    await store.init(fakeApi());
    store.configure({ steps: 4, count: 10 });
    await store.run();
    store.setStep(9);
    expect(store.step).toBe(4);
    store.setStep(2);
    expect(store.time).toBeCloseTo(0.5);
    await store.run();
    expect(store.step).toBe(2);
    store.configure({ steps: 8 });
    await store.run();
    expect(store.step).toBe(0);
  });

  it('a conditional export brings labels and its guidance weight', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.selectModel('onnx:/w/runs/r1/exports/m.onnx');
    expect(store.classes).toBe(3);
    expect(store.settings.guidance).toBe(2);
    store.configure({ classLabel: 1, count: 5, steps: 2 });
    await store.run();
    const [call] = runCalls(api);
    expect(call.model).toEqual({ kind: 'onnx', path: '/w/runs/r1/exports/m.onnx' });
    expect([...(call.labels ?? [])]).toEqual([1, 1, 1, 1, 1]);
    expect(call.guidance).toBe(2);
  });

  it('a failed run lands in runError', async () => {
    const api = fakeApi().handle('sampling.run', () => {
      throw new Error('model file is gone');
    });
    const store = useSampleStore();
    await store.init(api);
    await store.run();
    expect(store.runError).toBe('model file is gone');
    expect(store.running).toBe(false);
  });

  it('the metric sweep measures both samplers at every step count against exact draws', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    await store.computeMetric();
    expect(store.metricPoints).toHaveLength(SWEEP_STEPS.length * 2);
    expect(store.metricTotal).toBe(SWEEP_STEPS.length * 2);
    expect(store.metricPoints.every((p) => Number.isFinite(p.value) && p.value > 0)).toBe(true);
    expect(store.metricRunning).toBe(false);
    expect(runCalls(api).every((c) => c.record === undefined && c.n === 1000)).toBe(true);
  });

  it('cancelling the sweep stops it between runs and keeps the points so far', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    let calls = 0;
    const inner = fakeApi();
    api.handle('sampling.run', async (p) => {
      if (++calls === 3) await store.cancelMetric();
      return (await inner.call('sampling.run', p)) as never;
    });
    await store.computeMetric();
    expect(store.metricPoints.length).toBe(2);
    expect(api.calls.some((c) => c.method === 'sampling.cancel')).toBe(true);
  });

  it('samples a run from its live weights, both panels at once from the same noise', async () => {
    const api = fakeApi();
    let inFlight = 0;
    let most = 0;
    const inner = fakeApi();
    api.handle('sampling.run', async (p) => {
      most = Math.max(most, ++inFlight);
      await settle();
      inFlight--;
      return (await inner.call('sampling.run', p)) as never;
    });
    const store = useSampleStore();
    await store.init(api);
    store.selectModel('run:r1');
    store.configure({ steps: 3, count: 20 });
    await store.run();
    const [ode, sde] = runCalls(api);
    expect(ode.model).toEqual({ kind: 'run', runId: 'r1' });
    expect(sde.model).toEqual({ kind: 'run', runId: 'r1' });
    expect(ode.noise).toBe(sde.noise);
    expect(most).toBe(2);
    expect(store.comparison?.choice.key).toBe('run:r1');
    expect(store.comparison?.ode.x0).toBeNull(); // 2-D points keep no x0
  });

  it('follows runs as they start, checkpoint and end; a run with no checkpoint cannot be picked', async () => {
    const fresh: RunSummary = { ...RUN, id: 'r2', name: 'labelled', status: 'created', createdAt: '2025-01-02', updatedAt: '2025-01-02', startedAt: null, lastStep: 0, totalSteps: 100 };
    const api = fakeApi([RUN, fresh]);
    const store = useSampleStore();
    await store.init(api);
    const r2 = () => store.choices.find((c) => c.key === 'run:r2');
    expect(r2()).toMatchObject({ label: 'labelled: no checkpoint yet', unavailable: expect.stringMatching(/no checkpoint/) });
    store.selectModel('run:r2');
    expect(store.selectedKey).toBe('oracle:eight-gaussians');

    api.emit('training.status', { run: { ...fresh, status: 'running', active: true, startedAt: '2025-01-02', updatedAt: '2025-01-02T01' }, message: null });
    await settle();
    expect(r2()).toMatchObject({ label: 'labelled: current EMA weights (step 0 of 100, training…)', unavailable: null, training: true });
    api.emit('training.status', { run: { ...fresh, status: 'running', active: true, startedAt: '2025-01-02', updatedAt: '2025-01-02T02', lastStep: 50 }, message: null });
    await settle();
    expect(r2()?.label).toBe('labelled: current EMA weights (step 50 of 100, training…)');

    // a conditional run brings the class picker and the guidance it is sampled with by default
    store.configure({ guidance: 4 });
    store.selectModel('run:r2');
    expect(store.classes).toBe(3);
    expect(store.settings.guidance).toBe(1);
    store.configure({ classLabel: 2, steps: 2, count: 10 });
    await store.run();
    const [call] = runCalls(api);
    expect(call.model).toEqual({ kind: 'run', runId: 'r2' });
    expect([...(call.labels ?? [])]).toEqual(new Array(10).fill(2));
    expect(call.guidance).toBe(1);

    // a run started elsewhere shows up; each run is described by the studio once
    api.emit('training.status', { run: { ...RUN, id: 'r9', name: 'new', createdAt: '2025-01-03', updatedAt: '2025-01-03' }, message: null });
    await settle();
    expect(store.choices.map((c) => c.key)).toContain('run:r9');
    const described = (id: string) => api.calls.filter((c) => c.method === 'models.catalog' && (c.params as { runId?: string }).runId === id);
    expect([described('r2'), described('r9')].map((calls) => calls.length)).toEqual([0, 1]);
  });

  it('an image model records a few images with their x0 at every step', async () => {
    const digits: RunSummary = { ...RUN, id: 'r3', name: 'digits' };
    const api = fakeApi([digits]);
    const store = useSampleStore();
    await store.init(api);
    store.selectModel('run:r3');
    expect(store.imageShape).toEqual([1, 4, 4]);
    store.configure({ steps: 2, count: 2000, images: 6 });
    await store.run();
    const [call] = runCalls(api);
    expect(call.noise?.length).toBe(6 * 16);
    expect(call.record).toBe(6);
    const ode = store.comparison?.ode;
    expect(ode?.itemShape).toEqual([1, 4, 4]);
    expect([ode?.n, ode?.dim]).toEqual([6, 16]);
    expect(ode?.x0?.length).toBe(3 * 6 * 16);
    expect(ode?.x0?.[5]).toBe(-(ode?.x[5] ?? NaN));
  });

  it("the Gaussian mixture's ideal model is the mixture drawn in the Data section, and an edit there is what the next run samples", async () => {
    const api = fakeApi();
    const store = useSampleStore();
    const datasets = useDatasetsStore();
    await store.init(api);
    store.selectModel('oracle:gaussian-mixture');
    const drawn = () => (store.selected?.kind === 'oracle' ? store.selected.mixture : null);
    expect(drawn()).toBe(datasets.drawnMixture);
    expect(drawn()?.means).toEqual(datasets.mixture.map((c) => [...c.mean]));
    expect(drawn()?.covariances[0]).toEqual([[0.25, 0], [0, 0.25]]);
    expect(store.selected?.label).toMatch(/as drawn in Data/);
    store.configure({ steps: 2, count: 10 });
    await store.run();
    datasets.setComponent(0, { mean: [3, 2] });
    await store.run();
    const [first, , second] = runCalls(api);
    const meansOf = (c: Params<'sampling.run'>) => (c.model as { mixture: { means: number[][] } }).mixture.means;
    expect(meansOf(first)[0]).toEqual([-1.5, 0]);
    expect(meansOf(second)[0]).toEqual([3, 2]);
    expect(meansOf(second).slice(1)).toEqual(meansOf(first).slice(1));
  });

  it('an input holding a value it does not take shows its message, keeps its text, and nothing runs with the old value', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ steps: 4, count: 10 });
    store.setField('steps', '-3');
    expect(store.fieldErrors.steps).toBe('Steps must be at least 1; -3 is below.');
    expect(store.fieldText('steps')).toBe('-3');
    expect(store.settings.steps).toBe(4);
    store.setField('count', '50000000');
    expect(store.fieldErrors.count).toBe('Particles can be at most 10,000 (every particle is kept at every step); 50,000,000 is above.');
    expect(store.canRun).toBe(false);
    await store.run();
    await store.computeMetric();
    expect(runCalls(api)).toEqual([]);
    expect(store.runError).toBe('Not sampled: Steps and Particles are not valid (see the message beside them).');
    expect(store.metricError).toMatch(/^Not measured: Steps and Particles/);
    store.setField('steps', '6');
    store.setField('count', 'x', true);
    expect(store.fieldErrors.count).toBe('Particles must be a number from 10 to 10,000.');
    store.setField('count', '20');
    expect(store.fieldErrors).toEqual({});
    expect(store.canRun).toBe(true);
    await store.run();
    expect(runCalls(api).map((c) => [c.steps, c.record])).toEqual([[6, 20], [6, 20]]);
  });

  it("a refused input the next model does not show no longer holds runs back", async () => {
    const api = fakeApi([{ ...RUN, id: 'r3', name: 'digits' }]);
    const store = useSampleStore();
    await store.init(api);
    store.setField('count', '5');
    expect(store.problems.map((p) => p.name)).toEqual(['count']);
    store.selectModel('run:r3');
    expect(store.problems).toEqual([]);
    expect(store.fieldErrors).toEqual({});
  });

  it('a costly run asks first, runs once agreed, and a re-run of the same does not ask again', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ steps: 201, count: 10_000 });
    expect(store.costNote).toMatch(/^This run is costly: 2,010,000 particles × steps a panel/);
    await store.run();
    expect(store.costPending).toBe(store.costNote);
    expect(runCalls(api)).toEqual([]);
    await store.run({ confirmed: true });
    expect(store.costPending).toBeNull();
    expect(runCalls(api)).toHaveLength(2);
    await store.run();
    expect(runCalls(api)).toHaveLength(4);
    // measured now: the fake studio took no time, so the same work is no longer called slow
    expect(store.costNote).toBeNull();
    store.configure({ steps: 40, count: 2000 });
    expect(store.costNote).toBeNull();
  });

  it('a run started while one is in flight cancels it and only the newer one lands', async () => {
    const api = fakeApi();
    const inner = fakeApi();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    api.handle('sampling.run', async (p) => {
      if (++calls <= 2) await gate;
      return (await inner.call('sampling.run', p)) as never;
    });
    const store = useSampleStore();
    await store.init(api);
    store.configure({ steps: 2, count: 10, gamma: 0.2 });
    const first = store.run();
    await settle();
    store.configure({ gamma: 0.7 });
    await store.run();
    release();
    await first;
    expect(api.calls.filter((c) => c.method === 'sampling.cancel').map((c) => (c.params as { id: string }).id)).toEqual(['studio-ode-1', 'studio-sde-2']);
    expect(store.comparison?.sde.gamma).toBe(0.7);
    expect(store.running).toBe(false);
  });

  it('a model asked for before the list is read is picked once it is, with the settings kept, and sampled again', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    store.configure({ steps: 3, count: 10, guidance: 5, classLabel: 1 });
    store.preferModel('onnx:/w/runs/r1/exports/m.onnx', true);
    expect(store.remembered).toEqual({ key: 'onnx:/w/runs/r1/exports/m.onnx', resample: true });
    await store.init(api);
    await settle();
    expect(store.selectedKey).toBe('onnx:/w/runs/r1/exports/m.onnx');
    expect(store.settings.guidance).toBe(5);
    expect(store.comparison?.choice.key).toBe('onnx:/w/runs/r1/exports/m.onnx');
    expect(runCalls(api)[0]).toMatchObject({ steps: 3, guidance: 5 });
    expect(store.remembered).toEqual({ key: 'onnx:/w/runs/r1/exports/m.onnx', resample: true });
  });

  it('a model the list no longer has is given up for the first one, without sampling', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    store.preferModel('run:gone', true);
    await store.init(api);
    expect(store.selectedKey).toBe('oracle:eight-gaussians');
    expect(runCalls(api)).toEqual([]);
    expect(store.remembered).toEqual({ key: 'oracle:eight-gaussians', resample: false });
  });
});
