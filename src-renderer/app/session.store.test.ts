// Tests of the session store: what is saved, what is restored on start, and that bad stored data is ignored.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo } from '../../src-core/api/contract';
import { DEFAULT_FORM } from '../features/train/train-form';
import { FakeApi } from '../../test/support/fake-api';
import { oracleEntries } from '../../test/support/fake-catalog';
import { useDatasetsStore } from '../features/data/datasets.store';
import { useSampleStore } from '../features/sample/sample.store';
import { useScheduleStore } from '../features/schedule/schedule.store';
import { parseSnapshot, serializeSnapshot, SESSION_KEY } from './session-snapshot';
import { useSessionStore } from './session.store';
import '../session-features';
import { useTrainStore } from '../features/train/train.store';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

/** A fresh page over the same storage: new stores, location without a hash. */
function reload(): void {
  setActivePinia(createPinia());
  location.hash = '';
}

const stored = () => JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');

describe('session store', () => {
  beforeEach(() => {
    const loc = { hash: '' };
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('location', loc);
    vi.stubGlobal('history', { state: null, replaceState: (_s: unknown, _t: string, url: string) => (loc.hash = url) });
    setActivePinia(createPinia());
  });
  afterEach(() => {
    useSessionStore().stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('saves the section, schedule, Train form and Sample settings, and a new page starts from them', async () => {
    vi.useFakeTimers();
    useSessionStore().start();
    location.hash = '#schedule';
    useScheduleStore().selectPreset('vp-cosine');
    useTrainStore().setField('parameterisation', 'eps');
    useTrainStore().setField('steps', 1234);
    useSampleStore().configure({ gamma: 0.35, steps: 12 });
    await vi.advanceTimersByTimeAsync(300);
    expect(stored()).toMatchObject({ version: 1, hash: '#schedule', schedule: { name: 'vp-cosine' }, train: { parameterisation: 'eps', steps: 1234 }, sample: { gamma: 0.35 } });

    useSessionStore().stop();
    reload();
    const s = useSessionStore().start();
    expect(location.hash).toBe('#schedule');
    expect(s.hash).toBe('#schedule');
    expect(useScheduleStore().spec.name).toBe('vp-cosine');
    expect(useScheduleStore().canUndo).toBe(false);
    expect(useTrainStore().form).toMatchObject({ parameterisation: 'eps', steps: 1234, batchSize: DEFAULT_FORM.batchSize });
    expect(useSampleStore().settings).toMatchObject({ gamma: 0.35, steps: 12 });
  });

  it('a hash the page was opened with wins over the saved section', () => {
    localStorage.setItem(SESSION_KEY, serializeSnapshot({ hash: '#train' }));
    location.hash = '#reference/sampling/gamma-family';
    useSessionStore().start();
    expect(location.hash).toBe('#reference/sampling/gamma-family');
  });

  it('ignores stored text that is not JSON, of another version, or of the wrong shape', () => {
    for (const text of ['{oops', '"x"', 'null', JSON.stringify({ version: 99, hash: '#train' }), JSON.stringify([1, 2])]) {
      expect(parseSnapshot(text)).toEqual({});
    }
    localStorage.setItem(SESSION_KEY, '{oops');
    expect(() => useSessionStore().start()).not.toThrow();
    expect(useScheduleStore().spec.name).toBe('linear');
  });

  it('keeps the good parts of a snapshot and drops each bad one', () => {
    const s = parseSnapshot(
      JSON.stringify({
        version: 1,
        hash: '#nowhere',
        schedule: { name: 've', sigmaMin: 2, sigmaMax: 1 },
        train: { parameterisation: 'nonsense', coupling: 'ot', steps: 'many', lr: Infinity, hidden: '64, 64', residual: true },
        sample: { gamma: 7, steps: 20, odeSampler: 'heun', sdeSampler: '<script>', schedule: 've', metric: 'mmd' },
        dataset: { id: 'two-moons', params: { count: -5, noise: null, seed: 0, values: {} } },
      }),
    );
    expect(s).toEqual({ train: { coupling: 'ot', hidden: '64, 64', residual: true }, sample: { steps: 20, odeSampler: 'heun', metric: 'mmd' } });
    expect(parseSnapshot(JSON.stringify({ version: 1, hash: '#reference/sampling/gamma-family', schedule: { name: 'linear', sigmaMin: 0.1 } }))).toEqual({
      hash: '#reference/sampling/gamma-family',
      schedule: { name: 'linear', sigmaMin: 0.1 },
    });
  });

  it('applies stored sampler names only once the studio lists them, and keeps them stored meanwhile', async () => {
    localStorage.setItem(SESSION_KEY, serializeSnapshot({ sample: { odeSampler: 'heun', sdeSampler: 'no-such' } }));
    useSessionStore().start();
    useSessionStore().save();
    expect(stored().sample).toMatchObject({ odeSampler: 'heun', sdeSampler: 'no-such' });
    const api = new FakeApi()
      .handle('sampling.samplers', () => [
        { name: 'euler', label: 'Euler', kind: 'ode', stochastic: false, options: [] },
        { name: 'heun', label: 'Heun', kind: 'ode', stochastic: false, options: [] },
      ])
      .handle('training.list', () => ({ runs: [], unreadable: [] }))
      .handle('models.list', () => ({ exports: [] }))
      .handle('models.catalog', () => ({ models: [] }))
      .handle('datasets.list', () => []);
    await useSampleStore().init(api);
    await Promise.resolve();
    expect(useSampleStore().settings.odeSampler).toBe('heun');
    expect(useSampleStore().settings.sdeSampler).toBe('euler-maruyama');
  });

  it('selects the stored data set with its inputs once the studio has listed the sets', async () => {
    const list: DatasetInfo[] = [
      { id: 'two-moons', label: 'Two moons', description: '', params: [], hasMixture: false },
      { id: 'circles', label: 'Circles', description: '', params: [], hasMixture: false },
    ];
    const api = new FakeApi()
      .handle('datasets.list', () => list)
      .handle('datasets.saved', () => [])
      .handle('datasets.generate', (p) => ({ data: new Float32Array(p.count * 2), shape: [p.count, 2], stats: { mean: [0, 0], std: [1, 1], min: [0, 0], max: [0, 0] } }) as never);
    localStorage.setItem(SESSION_KEY, serializeSnapshot({ dataset: { id: 'circles', params: { count: 500, noise: null, seed: 7, values: {} } } }));
    useSessionStore().start();
    await useDatasetsStore().init(api);
    await vi.waitFor(() => expect(useDatasetsStore().selectedId).toBe('circles'));
    expect(useDatasetsStore().params).toMatchObject({ count: 500, seed: 7 });
  });

  it('keeps the Sample model with whether it was sampled, and the drawn mixture; a new page picks that model and samples it again', async () => {
    const samplers = [
      { name: 'euler', label: 'Euler', kind: 'ode', stochastic: false, options: [] },
      { name: 'euler-maruyama', label: 'EM', kind: 'sde', stochastic: true, options: ['gamma'] },
    ];
    const list: DatasetInfo[] = [
      { id: 'eight-gaussians', label: 'Eight Gaussians', description: '', params: [], hasMixture: true },
      { id: 'gaussian-mixture', label: 'Gaussian mixture', description: '', params: [], hasMixture: true },
    ];
    const mixtures: unknown[] = [];
    const makeApi = () =>
      new FakeApi()
        .handle('sampling.samplers', () => samplers)
        .handle('training.list', () => ({ runs: [], unreadable: [] }))
        .handle('models.catalog', () => ({ models: oracleEntries(list) }))
        .handle('datasets.list', () => list)
        .handle('datasets.saved', () => [])
        .handle('sampling.run', (p) => {
          if (p.model.kind === 'oracle') mixtures.push(p.model.mixture);
          const n = (p.noise?.length ?? 2) / 2;
          const x = new Float32Array(2 * n * (p.steps + 1));
          const times = Float64Array.from({ length: p.steps + 1 }, (_, k) => 1 - k / p.steps);
          return { id: p.id ?? '', samples: x.slice(0, 2 * n), shape: [n, 2], nfe: p.steps, times, seconds: 0, trajectory: { indices: [], times, x, x0: x, shape: [p.steps + 1, n, 2] } };
        });
    useSessionStore().start();
    useDatasetsStore().setComponent(1, { mean: [2.5, -0.5], std: 0.3 });
    const sample = useSampleStore();
    await sample.init(makeApi());
    sample.selectModel('oracle:gaussian-mixture');
    sample.configure({ steps: 3, count: 10, seed: 9 });
    await sample.run();
    useSessionStore().stop();
    expect(stored().sampleModel).toEqual({ key: 'oracle:gaussian-mixture', resample: true });
    expect(stored().mixture[1]).toEqual({ mean: [2.5, -0.5], weight: 0.3, std: 0.3 });

    reload();
    useSessionStore().start();
    expect(useDatasetsStore().mixture[1]).toEqual({ mean: [2.5, -0.5], weight: 0.3, std: 0.3 });
    const again = useSampleStore();
    await again.init(makeApi());
    await vi.waitFor(() => expect(again.comparison?.choice.key).toBe('oracle:gaussian-mixture'));
    expect(again.settings).toMatchObject({ steps: 3, count: 10, seed: 9 });
    expect(mixtures).toHaveLength(4);
    expect(mixtures[2]).toEqual(mixtures[0]);
  });

  it('drops a stored model key or mixture that is not of the studio\'s form', () => {
    const s = parseSnapshot(
      JSON.stringify({
        version: 1,
        sampleModel: { key: 'rm -rf', resample: true },
        mixture: [{ mean: [0, 0], weight: 1, std: -1 }],
        sample: { showData: 'yes', count: 50_000_000 },
      }),
    );
    expect(s).toEqual({});
    expect(parseSnapshot(JSON.stringify({ version: 1, sampleModel: { key: 'run:abc-1', resample: false }, mixture: [{ mean: [1, 2], weight: 2, std: 0.5 }], sample: { showData: true } }))).toEqual({
      sampleModel: { key: 'run:abc-1', resample: false },
      mixture: [{ mean: [1, 2], weight: 2, std: 0.5 }],
      sample: { showData: true },
    });
  });
});
