// Tests of the data under the Sample clouds: exact draws for the ideal model, a run's own training set (built-in or saved), nothing for images.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo, Params } from '../../../src-core/api/contract';
import type { RunSummary } from '../../../src-core/api/methods/training';
import { parseTrainingConfig, type TrainingConfig } from '../../../src-core/training/config';
import type { ModelDataRef } from '../../../src-core/api/methods/models';
import { builtinRequest, heldOutRequest } from '../../../src-core/training/data-request';
import { DATA_POINTS } from './model-data';
import { useDatasetsStore } from '../data/datasets.store';
import { FakeApi } from '../../../test/support/fake-api';
import { oracleEntries, runEntry } from '../../../test/support/fake-catalog';
import { useSampleDataStore } from './sample-data.store';
import { useSampleStore } from './sample.store';

const LIST: DatasetInfo[] = [{ id: 'gaussian-mixture', label: 'Gaussian mixture', description: '', params: [], hasMixture: true }];
const RUN: RunSummary = { id: 'moons', name: 'moons', status: 'completed', createdAt: '2025-01-01', updatedAt: '2025-01-01', startedAt: '2025-01-01', finishedAt: null, lastStep: 10, totalSteps: 10, backend: null, error: null, active: false };
const MIX = { weights: [1, 3], means: [[0, 0], [4, 1]], covariances: [[[1, 0], [0, 1]], [[0.5, 0], [0, 0.5]]] };
const CONFIGS: Record<string, TrainingConfig> = {
  moons: parseTrainingConfig({ data: { source: 'builtin', id: 'two-moons', params: { count: 12_000, seed: 5, noise: 0.07 } }, steps: 10 }),
  drawn: parseTrainingConfig({ data: { source: 'builtin', id: 'gaussian-mixture', params: { count: 300, mixture: MIX } }, steps: 10 }),
  labelled: parseTrainingConfig({ data: { source: 'workspace', id: 'blobs' }, model: { family: 'mlp', classes: 2 }, steps: 10 }),
  digits: parseTrainingConfig({ data: { source: 'workspace', id: 'digits' }, model: { family: 'unet', channels: [8, 16] }, steps: 10 }),
};
const SAVED = [
  { id: 'blobs', name: 'blobs', source: { id: 'csv' as const }, shape: [9000, 2], createdAt: '2025-01-01', classes: ['left', 'right'] },
  { id: 'digits', name: 'digits', source: { id: 'mnist' as const }, shape: [40, 1, 4, 4], createdAt: '2025-01-01' },
];

/** The data a run's catalog entry names: its built-in set's requests, or its saved set. */
function dataOf(c: TrainingConfig): ModelDataRef {
  return c.data.source === 'builtin' ? { kind: 'generated', datasetId: c.data.id, label: c.data.id, request: builtinRequest(c.data), heldOut: heldOutRequest(c.data) } : { kind: 'saved', datasetId: c.data.id, name: c.data.id };
}
const DIGITS_META = { dataShape: [1, 4, 4] };

function fakeApi(): FakeApi {
  const runs = Object.keys(CONFIGS).map((id) => ({ ...RUN, id, name: id }));
  const entries = runs.map((r) => runEntry(r, r.id === 'digits' ? DIGITS_META : r.id === 'labelled' ? { classes: { count: 2, nullClass: 2, guidance: 1 } } : {}, { data: dataOf(CONFIGS[r.id]) }));
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => SAVED)
    .handle('training.list', () => ({ runs, unreadable: [] }))
    .handle('training.get', (p) => ({ run: runs.find((r) => r.id === p.runId) ?? RUN, config: CONFIGS[p.runId] }))
    .handle('models.list', () => ({ exports: [] }))
    .handle('models.catalog', (p) => ({ models: p.runId === undefined ? [...oracleEntries(LIST), ...entries] : entries.filter((e) => e.key === `run:${p.runId}`) }))
    .handle('sampling.samplers', () => [])
    .handle('datasets.generate', (p) => ({ shape: [p.count, 2], data: Float32Array.from({ length: 2 * p.count }, (_, i) => i), stats: { mean: [], std: [], min: [], max: [] } }))
    .handle('datasets.load', (p) => {
      if (p.id === 'digits') return { id: p.id, shape: [40, 1, 4, 4], total: 40, data: new Float32Array(640), labels: null, classes: null };
      const n = Math.min(p.maxPoints ?? 9000, 9000);
      return { id: p.id, shape: [n, 2], total: 9000, data: new Float32Array(2 * n).fill(1), labels: Int32Array.from({ length: n }, (_, i) => i % 2), classes: ['left', 'right'] };
    });
}
const settle = () => new Promise((r) => setTimeout(r, 0));
const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method).map((c) => c.params);

describe('sample data store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  async function start(key: string) {
    const api = fakeApi();
    const sample = useSampleStore();
    const data = useSampleDataStore();
    await sample.init(api);
    data.init(api);
    sample.selectModel(key);
    return { api, sample, data };
  }

  it('reads nothing while the toggle is off, and exact draws of the drawn mixture once it is on', async () => {
    const { api, sample, data } = await start('oracle:gaussian-mixture');
    await settle();
    expect(data.shown).toBeNull();
    expect(api.calls.some((c) => c.method === 'datasets.generate' || c.method === 'datasets.load')).toBe(false);
    sample.configure({ showData: true });
    await settle();
    const d = data.shown;
    expect(d?.source).toBe('oracle');
    expect(d?.points.length).toBe(2 * DATA_POINTS);
    // the draws follow the mixture drawn in Data: their mean is the weighted mean of its components
    const mixture = useDatasetsStore().drawnMixture;
    const total = mixture.weights.reduce((a, b) => a + b, 0);
    const mean = [0, 1].map((j) => mixture.means.reduce((acc, mu, k) => acc + (mixture.weights[k] / total) * mu[j], 0));
    const got = [0, 1].map((j) => (d?.points.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) ?? 0) / DATA_POINTS);
    // standard error of the mean is under 0.02 here: 5 of them
    expect(Math.abs(got[0] - mean[0])).toBeLessThan(0.1);
    expect(Math.abs(got[1] - mean[1])).toBeLessThan(0.1);
    // an edit in Data is new data
    useDatasetsStore().setComponent(0, { mean: [6, 6] });
    await settle();
    expect(data.shown?.points).not.toBe(d?.points);
    const x = (data.shown?.points.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) ?? 0) / DATA_POINTS;
    expect(x).toBeGreaterThan(got[0] + 0.5 * 7.5 * 0.9);
  });

  it("a run's built-in set is generated again from its recorded request, thinned evenly, once however often the run reports", async () => {
    const { api, sample, data } = await start('run:moons');
    sample.configure({ showData: true });
    await settle();
    expect(calls(api, 'datasets.generate')).toEqual([{ id: 'two-moons', count: 12_000, seed: 5, noise: 0.07 }]);
    expect(data.shown).toMatchObject({ source: 'training', total: 12_000, labels: null });
    expect(data.shown?.points.length).toBe(2 * DATA_POINTS);
    // rows spaced evenly: row k is row floor(k * 12000 / 5000) of the set
    expect([data.shown?.points[2 * 7], data.shown?.points[2 * 7 + 1]]).toEqual([2 * 16, 2 * 16 + 1]);
    api.emit('training.status', { run: { ...RUN, id: 'moons', updatedAt: '2025-01-02' }, message: null });
    await settle();
    expect(calls(api, 'datasets.generate')).toHaveLength(1);
    expect(data.shown).not.toBeNull();
  });

  it("a saved set comes with its labels and class names; an image run has nothing to draw", async () => {
    const { api, sample, data } = await start('run:labelled');
    sample.configure({ showData: true });
    await settle();
    expect(calls(api, 'datasets.load')).toEqual([{ id: 'blobs', maxPoints: DATA_POINTS }]);
    expect(data.shown).toMatchObject({ source: 'training', total: 9000, classes: ['left', 'right'] });
    expect(data.shown?.labels?.slice(0, 3)).toEqual(Int32Array.from([0, 1, 0]));
    sample.selectModel('run:digits');
    await settle();
    expect(data.shown).toBeNull();
    expect(data.error).toBeNull();
  });

  it('the recorded request of a drawn mixture carries the mixture', () => {
    const data = CONFIGS.drawn.data;
    if (data.source !== 'builtin') throw new Error('a built-in set');
    const request: Params<'datasets.generate'> = builtinRequest(data, { count: 50, seed: 3 });
    expect(request).toMatchObject({ id: 'gaussian-mixture', count: 50, seed: 3, mixture: MIX });
  });
});
