// Tests of the data-set store against a fake API: selection, generation, debouncing, errors, saved sets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { StudioError } from '../../../src-core/errors';
import type { DatasetInfo, DatasetRequest, SavedDataset } from '../../../src-core/api/contract';
import { FakeApi } from '../../../test/support/fake-api';
import { GENERATE_DEBOUNCE_MS, useDatasetsStore } from './datasets.store';

const LIST: DatasetInfo[] = [
  { id: 'circles', label: 'Circles', description: 'Two rings', params: [{ name: 'factor', label: 'Factor', description: 'ratio', default: 0.5, min: 0.1, max: 0.9, step: 0.05, integer: false }], hasMixture: false },
  { id: 'two-moons', label: 'Two moons', description: 'Two arcs', params: [], hasMixture: false },
];

function saved(id: string, name: string): SavedDataset {
  return { id, name, source: { id: 'two-moons', count: 10, seed: 0 }, shape: [10, 2], createdAt: '2025-01-01T00:00:00.000Z' };
}

function fakeApi(): FakeApi {
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => [])
    .handle('datasets.generate', (p) => {
      const data = new Float32Array(p.count * 2).fill(p.seed);
      return { shape: [p.count, 2], data, stats: { mean: [0, 0], std: [1, 1], min: [-1, -1], max: [1, 1] } };
    });
}

const generateRequests = (api: FakeApi) => api.calls.filter((c) => c.method === 'datasets.generate').map((c) => c.params as DatasetRequest);

describe('datasets store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.useRealTimers());

  it('loads the list and selects two-moons first, with 10,000 points', async () => {
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    expect(store.list.map((d) => d.id)).toEqual(['circles', 'two-moons']);
    expect(store.selectedId).toBe('two-moons');
    expect(store.pointCount).toBe(10_000);
    expect(store.points).toBeInstanceOf(Float32Array);
    expect(store.version).toBe(1);
  });

  it('selecting a set generates it with its defaults, stores the points and bumps the version', async () => {
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    await store.select('circles');
    expect(store.version).toBe(2);
    expect(store.pointsFor).toEqual({ id: 'circles', count: 10_000, seed: 0, params: { factor: 0.5 } });
    expect(store.fields.map((f) => f.name)).toEqual(['count', 'noise', 'seed', 'factor']);
    expect(store.stats?.std).toEqual([1, 1]);
  });

  it('debounces parameter changes into one generation', async () => {
    vi.useFakeTimers();
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    store.setParam('seed', 1);
    store.setParam('seed', 2);
    store.setParam('noise', 0.3);
    expect(generateRequests(api)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(GENERATE_DEBOUNCE_MS + 10);
    const requests = generateRequests(api);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual({ id: 'two-moons', count: 10_000, seed: 2, noise: 0.3 });
    expect(store.points?.[0]).toBe(2);
  });

  it('reports an out-of-range value beside its field and does not generate', async () => {
    vi.useFakeTimers();
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    store.setParam('count', 0);
    await vi.advanceTimersByTimeAsync(GENERATE_DEBOUNCE_MS + 10);
    expect(store.fieldErrors.count).toMatch(/between 1 and 1000000/);
    expect(generateRequests(api)).toHaveLength(1);
    store.setParam('count', 500);
    await vi.advanceTimersByTimeAsync(GENERATE_DEBOUNCE_MS + 10);
    expect(store.fieldErrors.count).toBeUndefined();
    expect(store.pointCount).toBe(500);
  });

  it('puts an API error in the error state and keeps the previous points', async () => {
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    api.handle('datasets.generate', () => {
      throw new StudioError('invalid-argument', "data set 'circles': param 'factor': too big");
    });
    await store.select('circles');
    expect(store.generateError).toBe("data set 'circles': param 'factor': too big");
    expect(store.generating).toBe(false);
    expect(store.pointCount).toBe(10_000);
    expect(store.version).toBe(1);
  });

  it('ignores a reply that arrives after a newer request', async () => {
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    api.handle('datasets.generate', async (p) => {
      if (p.id === 'circles') await slow;
      return { shape: [p.count, 2], data: new Float32Array(p.id === 'circles' ? 2 : 4), stats: { mean: [0, 0], std: [0, 0], min: [0, 0], max: [0, 0] } };
    });
    const first = store.select('circles');
    await store.select('two-moons');
    release();
    await first;
    expect(store.pointCount).toBe(2);
    expect(store.pointsFor?.id).toBe('two-moons');
  });

  it('a list error lands in listError', async () => {
    const api = fakeApi().handle('datasets.list', () => {
      throw new StudioError('internal', 'list failed');
    });
    const store = useDatasetsStore();
    await store.init(api);
    expect(store.listError).toBe('list failed');
    expect(store.selectedId).toBeNull();
  });

  it('the changed event replaces the saved list; dispose stops listening', async () => {
    const api = fakeApi();
    const store = useDatasetsStore();
    await store.init(api);
    expect(store.saved).toEqual([]);
    api.emit('datasets.changed', { saved: [saved('a', 'first'), saved('b', 'second')] });
    expect(store.saved.map((s) => s.name)).toEqual(['first', 'second']);
    store.dispose();
    expect(api.listenerCount('datasets.changed')).toBe(0);
  });

  it('saves the generated request under a trimmed name, and reports a save error', async () => {
    const api = fakeApi().handle('datasets.save', (p) => ({ ...saved('x1', p.name), source: p.source }));
    const store = useDatasetsStore();
    await store.init(api);
    await store.save('  my moons ');
    const call = api.calls.find((c) => c.method === 'datasets.save');
    expect(call?.params).toEqual({ name: 'my moons', source: { id: 'two-moons', count: 10_000, seed: 0 } });
    expect(store.lastSaved?.id).toBe('x1');
    expect(store.saved.map((s) => s.id)).toEqual(['x1']);
    api.handle('datasets.save', () => {
      throw new StudioError('invalid-argument', 'name: too long');
    });
    await store.save('y');
    expect(store.saveError).toBe('name: too long');
    expect(store.saving).toBe(false);
  });
});

describe('datasets store: the Gaussian-mixture editor', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.useRealTimers());

  const MIXTURE_LIST: DatasetInfo[] = [...LIST, { id: 'gaussian-mixture', label: 'Gaussian mixture', description: 'Editable', params: [], hasMixture: true }];

  it('sends the editor components as isotropic covariances with the gaussian-mixture set only', async () => {
    const api = fakeApi().handle('datasets.list', () => MIXTURE_LIST);
    const store = useDatasetsStore();
    await store.init(api);
    expect(generateRequests(api)[0].mixture).toBeUndefined();
    await store.select('gaussian-mixture');
    expect(store.editsMixture).toBe(true);
    const mixture = generateRequests(api)[1].mixture;
    expect(mixture?.weights).toEqual(store.mixture.map((c) => c.weight));
    expect(mixture?.means[0]).toEqual([...store.mixture[0].mean]);
    expect(mixture?.covariances[0]).toEqual([[0.25, 0], [0, 0.25]]);
  });

  it('moving a mean regenerates once after the debounce; a bad spread is reported and not sent', async () => {
    vi.useFakeTimers();
    const api = fakeApi().handle('datasets.list', () => MIXTURE_LIST);
    const store = useDatasetsStore();
    await store.init(api);
    await store.select('gaussian-mixture');
    store.setComponent(0, { mean: [0.5, 0.5] });
    store.setComponent(0, { mean: [1, 2] });
    await vi.advanceTimersByTimeAsync(GENERATE_DEBOUNCE_MS + 10);
    const requests = generateRequests(api);
    expect(requests).toHaveLength(3);
    expect(requests[2].mixture?.means[0]).toEqual([1, 2]);
    store.setComponent(1, { std: 0 });
    await vi.advanceTimersByTimeAsync(GENERATE_DEBOUNCE_MS + 10);
    expect(store.mixtureError).toBe('component 2: the spread must be a number above 0');
    expect(generateRequests(api)).toHaveLength(3);
  });

  it('adds and removes components, keeping at least one, and resets to the start', async () => {
    const api = fakeApi().handle('datasets.list', () => MIXTURE_LIST);
    const store = useDatasetsStore();
    await store.init(api);
    const start = store.mixture.length;
    store.addComponent();
    expect(store.mixture).toHaveLength(start + 1);
    for (let i = 0; i < 10; i++) store.removeComponent(0);
    expect(store.mixture).toHaveLength(1);
    store.resetMixture();
    expect(store.mixture).toHaveLength(start);
  });
});
