// Tests of the NLL series' store against a fake API: held-out points, progress from the step events, cancel, a model change.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DatasetInfo, Params } from '../../../src-core/api/contract';
import { NLL_STEPS } from './metric-sweep';
import { FakeApi } from '../../../test/support/fake-api';
import { oracleEntries } from '../../../test/support/fake-catalog';
import { useSampleNllStore } from './sample-nll.store';
import { useSampleStore } from './sample.store';

const LIST: DatasetInfo[] = [
  { id: 'eight-gaussians', label: 'Eight Gaussians', description: '', params: [], hasMixture: true },
  { id: 'gaussian-mixture', label: 'Gaussian mixture', description: '', params: [], hasMixture: true },
];
const SAMPLERS = [
  { name: 'euler', label: 'Euler', kind: 'ode', stochastic: false, options: [] },
  { name: 'euler-maruyama', label: 'EM', kind: 'sde', stochastic: true, options: ['gamma'] },
];

/** A studio with two ideal models and a likelihood that emits one progress event per solver step. */
function fakeApi(): FakeApi {
  const api: FakeApi = new FakeApi()
    .handle('datasets.list', () => LIST)
    .handle('datasets.saved', () => [])
    .handle('training.list', () => ({ runs: [], unreadable: [] }))
    .handle('models.catalog', () => ({ models: oracleEntries(LIST) }))
    .handle('sampling.samplers', () => SAMPLERS)
    .handle('sampling.cancel', () => ({ cancelled: true }))
    .handle('sampling.likelihood', (p) => {
      for (let step = 1; step <= p.steps; step++) api.emit('sampling.progress', { id: p.id ?? '', step, total: p.steps, t: step / p.steps, nfe: step * 20 });
      return { id: p.id ?? '', nats: 2 + 1 / p.steps, bpd: (2 + 1 / p.steps) / (2 * Math.LN2), standardError: 0.04, n: p.x.length / 2, dim: 2, normalisationLogDet: 0, nfe: p.steps * 20, seconds: 0 };
    });
  return api;
}

const likelihoodCalls = (api: FakeApi) => api.calls.filter((c) => c.method === 'sampling.likelihood').map((c) => c.params as Params<'sampling.likelihood'>);

async function ready(api: FakeApi) {
  const sample = useSampleStore();
  await sample.init(api);
  const nll = useSampleNllStore();
  nll.init(api);
  return { sample, nll };
}

describe('NLL series store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('measures the ideal model on 500 exact draws at every step count, with progress in solver steps', async () => {
    const api = fakeApi();
    const { sample, nll } = await ready(api);
    expect(sample.selectedKey).toBe('oracle:eight-gaussians');
    const seen: number[] = [];
    api.on('sampling.progress', () => seen.push(nll.stepsDone));
    await nll.measure();
    const sent = likelihoodCalls(api);
    expect(sent.map((c) => c.steps)).toEqual([...NLL_STEPS]);
    expect(sent[0].model).toMatchObject({ kind: 'oracle', schedule: { name: 'linear' } });
    expect(sent[0].x.length).toBe(500 * 2);
    expect(sent.every((c) => c.divergence === 'exact' && c.x === sent[0].x)).toBe(true);
    expect(nll.points.map((p) => p.nfe)).toEqual(NLL_STEPS.map((s) => s * 20));
    expect(nll.points[4].nats).toBeCloseTo(2 + 1 / NLL_STEPS[4], 12);
    expect(nll.stepsDone).toBe(nll.totalSteps);
    expect(nll.totalSteps).toBe(NLL_STEPS.reduce((a, b) => a + b, 0));
    expect(nll.totalPoints).toBe(NLL_STEPS.length);
    // mid-way through the last computation: progress moves with each solver step, not only per point
    const before = NLL_STEPS.slice(0, 4).reduce((a, b) => a + b, 0);
    expect(seen).toContain(before + NLL_STEPS[4] / 2);
    expect(Math.max(...seen)).toBeLessThanOrEqual(nll.totalSteps);
    expect(nll.running).toBe(false);
    expect(nll.error).toBeNull();
  });

  it('cancel stops the sweep, cancels the computation in flight by its id and keeps the points so far', async () => {
    const api = fakeApi();
    const { nll } = await ready(api);
    const inner = fakeApi();
    api.handle('sampling.likelihood', async (p) => {
      if (likelihoodCalls(api).length === 3) await nll.cancel();
      return inner.call('sampling.likelihood', p);
    });
    await nll.measure();
    expect(nll.points.map((p) => p.steps)).toEqual(NLL_STEPS.slice(0, 2));
    expect(nll.running).toBe(false);
    const cancels = api.calls.filter((c) => c.method === 'sampling.cancel').map((c) => (c.params as { id: string }).id);
    expect(cancels).toEqual([likelihoodCalls(api)[2].id]);
  });

  it('another model clears the series; a failure lands in error', async () => {
    const api = fakeApi();
    const { sample, nll } = await ready(api);
    await nll.measure();
    expect(nll.points).toHaveLength(NLL_STEPS.length);
    sample.selectModel('oracle:gaussian-mixture');
    await Promise.resolve();
    expect(nll.points).toHaveLength(0);
    api.handle('sampling.likelihood', () => {
      throw new Error('the divergence is not finite at t = 0.5');
    });
    await nll.measure();
    expect(nll.error).toBe('the divergence is not finite at t = 0.5');
    expect(nll.running).toBe(false);
  });
});
