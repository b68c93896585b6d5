// Tests of the Sample store against a fake API: model choices, one noise for both panels, the scrubber, the metric sweep.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo, Params } from '../../src-core/api/contract';
import type { ExportedModel } from '../../src-core/api/methods/models';
import { SWEEP_STEPS } from '../features/sample/metric-sweep';
import { FakeApi } from './fake-api';
import { useSampleStore } from './sample.store';

const LIST: DatasetInfo[] = [
  { id: 'eight-gaussians', label: 'Eight Gaussians', description: '', params: [], hasMixture: true },
  { id: 'two-moons', label: 'Two moons', description: '', params: [], hasMixture: false },
];
const SAMPLERS = [
  { name: 'euler', label: 'Euler', kind: 'ode', stochastic: false, options: [] },
  { name: 'dopri5', label: 'Dopri', kind: 'ode', stochastic: false, options: ['rtol'] },
  { name: 'euler-maruyama', label: 'EM', kind: 'sde', stochastic: true, options: ['gamma'] },
];
const RUN = { id: 'r1', name: 'moons', status: 'completed' as const, createdAt: '', updatedAt: '', startedAt: null, finishedAt: null, lastStep: 10, totalSteps: 10, backend: null, error: null, active: false };
const EXPORT: ExportedModel = {
  name: 'm.onnx', path: '/w/runs/r1/exports/m.onnx', bytes: 10, modifiedAt: '2025-01-01', kind: 'model', sampler: null, error: null,
  meta: { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: { count: 3, nullClass: 3, guidance: 2 }, runId: 'r1', seed: 0, studioVersion: null },
};

/** A sampler stand-in: states [steps + 1, n, 2] where step s holds noise * (1 + s * gamma). */
function fakeApi(): FakeApi {
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('training.list', () => ({ runs: [RUN], unreadable: [] }))
    .handle('models.list', () => ({ exports: [EXPORT, { ...EXPORT, name: 'g.onnx', kind: 'sampler-graph' }] }))
    .handle('sampling.samplers', () => SAMPLERS)
    .handle('sampling.cancel', () => ({ cancelled: true }))
    .handle('sampling.run', (p) => {
      const noise = p.noise ?? new Float32Array((p.n ?? 1) * 2).fill(0.5);
      const x = new Float32Array(noise.length * (p.steps + 1));
      for (let s = 0; s <= p.steps; s++) for (let i = 0; i < noise.length; i++) x[s * noise.length + i] = noise[i] * (1 + s * (p.gamma ?? 0));
      const times = Float64Array.from({ length: p.steps + 1 }, (_, s) => 1 - s / p.steps);
      const samples = x.slice(p.steps * noise.length);
      return { id: p.id ?? 'x', samples, shape: [noise.length / 2, 2], nfe: p.steps, times, seconds: 0, trajectory: { indices: [], times, x, x0: x, shape: [p.steps + 1, noise.length / 2, 2] } };
    });
}

const runCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'sampling.run').map((c) => c.params as Params<'sampling.run'>);

describe('sample store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('offers the ideal model of mixture sets first, then sampleable exports; sampler lists are split', async () => {
    const store = useSampleStore();
    await store.init(fakeApi());
    expect(store.choices.map((c) => c.key)).toEqual(['oracle:eight-gaussians', 'onnx:/w/runs/r1/exports/m.onnx']);
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
});
