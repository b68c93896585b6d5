// Tests of the Sample store's sampler options against a fake API that lists the real registry and checks each request with the real schema.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo, Params } from '../../../src-core/api/contract';
import { samplingRequestSchema } from '../../../src-core/api/methods/sampling';
import { samplers } from '../../../src-core/sampling';
import { parseOrThrow } from '../../../src-core/validation';
import { parseSnapshot, serializeSnapshot } from '../../app/session-snapshot';
import '../../session-features';
import { FakeApi } from '../../../test/support/fake-api';
import { oracleEntries } from '../../../test/support/fake-catalog';
import { useSampleStore } from './sample.store';

const LIST: DatasetInfo[] = [{ id: 'eight-gaussians', label: 'Eight Gaussians', description: '', params: [], hasMixture: true }];
/** The studio's list as sampling.samplers gives it. */
const SAMPLERS = samplers.names().map((name) => {
  const s = samplers.get(name);
  return { name, label: s.label, kind: s.kind, nfePerStep: s.nfePerStep, stochastic: s.stochastic, noiseWhen: s.noiseWhen ?? null, options: s.options.map((o) => ({ ...o })) };
});
/** The times an adaptive solver stops at, whatever the grid. */
const ADAPTIVE_TIMES = [1, 0.6, 0.2, 0];

/** States [steps + 1, n, 2] whose step s holds s + the row's noise; dopri5 visits its own times. */
function fakeApi(): FakeApi {
  return new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => [])
    .handle('training.list', () => ({ runs: [], unreadable: [] }))
    .handle('models.catalog', () => ({ models: oracleEntries(LIST) }))
    .handle('sampling.samplers', () => SAMPLERS)
    .handle('sampling.cancel', () => ({ cancelled: true }))
    .handle('sampling.run', (request) => {
      const p = parseOrThrow(samplingRequestSchema, request, 'sampling request');
      const noise = p.noise ?? new Float32Array((p.n ?? 1) * 2);
      const times = p.sampler === 'dopri5' ? Float64Array.from(ADAPTIVE_TIMES) : Float64Array.from({ length: p.steps + 1 }, (_, s) => 1 - s / p.steps);
      const x = new Float32Array(noise.length * times.length);
      for (let s = 0; s < times.length; s++) for (let i = 0; i < noise.length; i++) x[s * noise.length + i] = s + noise[i];
      const samples = x.slice((times.length - 1) * noise.length);
      return { id: p.id ?? 'x', samples, shape: [noise.length / 2, 2], nfe: times.length, times, seconds: 0, trajectory: { indices: [], times, x, x0: x.slice(), shape: [times.length, noise.length / 2, 2] } };
    });
}

const runCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'sampling.run').map((c) => c.params as Params<'sampling.run'>);

describe('sample store: sampler options', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('offers every sampler of the studio in a picker, and a field for each option of the two picked', async () => {
    const store = useSampleStore();
    await store.init(fakeApi());
    expect(store.groups.flatMap((g) => g.samplers.map((s) => s.name)).sort()).toEqual([...samplers.names()].sort());
    store.configure({ odeSampler: 'dopri5', sdeSampler: 'pc' });
    expect(store.shownOptions.map((o) => `${o.panel}:${o.sampler}.${o.option.name}`)).toEqual(['ode:dopri5.rtol', 'ode:dopri5.atol', 'ode:dopri5.maxNfe', 'sde:pc.snr', 'sde:pc.correctorSteps']);
    const pcSteps = store.shownOptions[4].option;
    expect(store.optionText('pc', pcSteps)).toBe(String(samplers.get('pc').options.find((o) => o.name === 'correctorSteps')?.default));
  });

  it('a refused option holds the run back naming its field; typed values reach the request, which the schema takes', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ sdeSampler: 'annealed-langevin', steps: 4, count: 10, gamma: 0.3 });
    store.setOption('annealed-langevin', 'correctorSteps', '0');
    expect(store.problems.map((p) => [p.name, p.label])).toEqual([['annealed-langevin.correctorSteps', 'Corrector steps']]);
    await store.run();
    expect(store.runError).toBe('Not sampled: Corrector steps is not valid (see the message beside it).');
    expect(runCalls(api)).toHaveLength(0);

    store.setOption('annealed-langevin', 'correctorSteps', '3');
    store.setOption('annealed-langevin', 'snr', '0.25');
    expect(store.problems).toEqual([]);
    await store.run();
    const [ode, sde] = runCalls(api);
    expect(ode).toMatchObject({ sampler: 'euler' });
    expect(ode).not.toHaveProperty('gamma');
    // annealed Langevin takes no gamma: the slider's value is not sent
    expect(sde).toMatchObject({ sampler: 'annealed-langevin', snr: 0.25, correctorSteps: 3 });
    expect(sde).not.toHaveProperty('gamma');
    expect(store.runError).toBeNull();

    store.configure({ sdeSampler: 'pc' });
    await store.run();
    expect(runCalls(api)[3]).toMatchObject({ sampler: 'pc', gamma: 0.3 });
    expect(runCalls(api)[3]).not.toHaveProperty('snr'); // typed for annealed Langevin, not for pc
  });

  it('an adaptive solver is shown on the grid of the other panel, each grid time holding the last state it reached', async () => {
    const store = useSampleStore();
    await store.init(fakeApi());
    store.configure({ odeSampler: 'dopri5', steps: 4, count: 10 });
    await store.run();
    const c = store.comparison;
    expect([...(c?.ode.times ?? [])]).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(store.stepCount).toBe(4);
    // grid 1, .75, .5, .25, 0 against stops 1, .6, .2, 0: the states of stops 0, 0, 1, 1, 3 (stop s holds s + the noise, which cancels here)
    const n = 10 * 2;
    const held = [0, 1, 2, 3, 4].map((k) => Math.round((c?.ode.x[k * n] ?? NaN) - (c?.ode.x[0] ?? NaN)));
    expect(held).toEqual([0, 0, 1, 1, 3]);
  });

  it('the metric sweep sends each panel its options', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ sdeSampler: 'pc', gamma: 0.5 });
    store.setOption('pc', 'correctorSteps', '2');
    await store.computeMetric();
    const calls = runCalls(api);
    expect(calls.filter((c) => c.sampler === 'pc').every((c) => c.correctorSteps === 2 && c.gamma === 0.5)).toBe(true);
    expect(calls.filter((c) => c.sampler === 'euler').every((c) => !('gamma' in c) && !('correctorSteps' in c))).toBe(true);
  });

  it('typed options are kept with the session: known names with numbers, per sampler', () => {
    const text = serializeSnapshot({ sample: { samplerOptions: { pc: { snr: 0.2, correctorSteps: 2 } } } });
    expect(parseSnapshot(text).sample?.samplerOptions).toEqual({ pc: { snr: 0.2, correctorSteps: 2 } });
    const messy = JSON.stringify({ version: 1, sample: { samplerOptions: { pc: { snr: '0.2', nope: 1, correctorSteps: 3 }, '<x>': { snr: 1 }, ddim: 4 } } });
    expect(parseSnapshot(messy).sample?.samplerOptions).toEqual({ pc: { correctorSteps: 3 } });
  });

  it('a kept value outside the range the studio now declares is said at its field, not sent', async () => {
    const api = fakeApi();
    const store = useSampleStore();
    await store.init(api);
    store.configure({ sdeSampler: 'pc', samplerOptions: { pc: { snr: 7 } } });
    expect(store.problems.map((p) => p.message)).toEqual(['Langevin snr r can be at most 1; 7 is above.']);
    await store.run();
    expect(runCalls(api)).toHaveLength(0);
  });
});
