// Tests of the NLL sweep against a fake API: one likelihood request per step count, points in order, cancel between requests.
import { describe, expect, it } from 'vitest';
import type { Params } from '../../../src-core/api/contract';
import { FakeApi } from '../../../test/support/fake-api';
import { EXACT_DIVERGENCE_MAX_DIM, NLL_STEPS, nllPlan, runNllSweep, type NllPoint } from './metric-sweep';

const model = { kind: 'onnx' as const, path: '/w/m.onnx' };

/** A likelihood stand-in whose NLL falls towards 1.5 nats as the steps grow, NFE as RK4 with exact 2-D divergence. */
function fakeApi(): FakeApi {
  return new FakeApi()
    .handle('sampling.cancel', () => ({ cancelled: true }))
    .handle('sampling.likelihood', (p) => ({
      id: p.id ?? 'x', nats: 1.5 + 1 / p.steps ** 4, bpd: 0, standardError: 0.05, n: p.x.length / 2, dim: 2, normalisationLogDet: 0, nfe: p.steps * 20, seconds: 0,
    }));
}

const calls = (api: FakeApi) => api.calls.filter((c) => c.method === 'sampling.likelihood').map((c) => c.params as Params<'sampling.likelihood'>);

describe('the NLL sweep', () => {
  it('asks for the NLL at every step count with the plan, the points and the seed, and reports each point in order', async () => {
    const api = fakeApi();
    const x = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    const points: NllPoint[] = [];
    let id = 0;
    await runNllSweep(api, { model, x, plan: nllPlan(2), seed: 7, nextId: () => `nll-${++id}`, onPoint: (p) => points.push(p), cancelled: () => false });
    const sent = calls(api);
    expect(sent.map((c) => c.steps)).toEqual([...NLL_STEPS]);
    expect(sent.map((c) => c.id)).toEqual(NLL_STEPS.map((_, i) => `nll-${i + 1}`));
    for (const c of sent) {
      expect(c).toMatchObject({ model, solver: 'rk4', divergence: 'exact', seed: 7, perPoint: false });
      expect(c.x).toBe(x);
      expect(c).not.toHaveProperty('probes');
    }
    expect(points.map((p) => p.steps)).toEqual([...NLL_STEPS]);
    expect(points.map((p) => p.nfe)).toEqual(NLL_STEPS.map((s) => s * 20));
    expect(points[points.length - 1].nats).toBeCloseTo(1.5 + 1 / NLL_STEPS[NLL_STEPS.length - 1] ** 4, 12);
    expect(points[0].standardError).toBe(0.05);
  });

  it('stops between requests once cancelled, and drops the answer of the request in flight', async () => {
    const api = fakeApi();
    const points: NllPoint[] = [];
    let stop = false;
    const inner = fakeApi();
    api.handle('sampling.likelihood', async (p) => {
      if (calls(api).length === 3) stop = true;
      return inner.call('sampling.likelihood', p);
    });
    await runNllSweep(api, { model, x: new Float32Array(2), plan: nllPlan(2), seed: 0, nextId: () => 'n', onPoint: (p) => points.push(p), cancelled: () => stop });
    expect(calls(api)).toHaveLength(3);
    expect(points.map((p) => p.steps)).toEqual(NLL_STEPS.slice(0, 2));
  });

  it('uses the exact divergence for small items and Hutchinson probes for images', async () => {
    expect(nllPlan(2)).toEqual({ count: 500, steps: NLL_STEPS, divergence: 'exact' });
    expect(nllPlan(EXACT_DIVERGENCE_MAX_DIM).divergence).toBe('exact');
    const image = nllPlan(28 * 28);
    expect(image).toMatchObject({ divergence: 'hutchinson', probes: 2 });
    expect(image.count).toBeLessThan(500);
    expect(image.steps.length).toBeLessThanOrEqual(NLL_STEPS.length);
    const api = fakeApi();
    await runNllSweep(api, { model, x: new Float32Array(784), plan: { ...image, steps: [2] }, seed: 1, nextId: () => 'n', onPoint: () => {}, cancelled: () => false });
    expect(calls(api)[0]).toMatchObject({ divergence: 'hutchinson', probes: 2, steps: 2 });
  });

  it('a failed request ends the sweep with its error', async () => {
    const api = fakeApi().handle('sampling.likelihood', () => {
      throw new Error('model file is gone');
    });
    await expect(runNllSweep(api, { model, x: new Float32Array(2), plan: nllPlan(2), seed: 0, nextId: () => 'n', onPoint: () => {}, cancelled: () => false })).rejects.toThrow('model file is gone');
  });
});
