// The sampler graph, evaluated by the reference evaluator, equals the engine's sampler loop on the same network; bad options are refused.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { buildMlp } from '../graph/families/mlp';
import { evaluateGraph } from '../graph/evaluate';
import { floatTensor, int64Tensor } from '../graph/tensor';
import type { Model } from '../model';
import { denormalise } from '../normalisation';
import { Rng } from '../rng';
import { makeGrid, sample } from '../sampling';
import { createSchedule } from '../schedules';
import { buildSamplerGraph, samplerGraphMetadata } from './sampler-graph';
import { parseStudioMetadata, type StudioModelMeta } from './studio-format';

const n = 16;
const net = buildMlp({ dataDim: 2, hidden: [12, 12], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, classes: 3 });
// weights of a size that makes the prediction depend on x, t and y
const weights = new Rng(3).fillNormal(new Float32Array(net.layout.size)).map((w) => 0.4 * w);
const labels = Array.from({ length: n }, (_, i) => i % 4);
const base: StudioModelMeta = {
  parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: { mean: [1, -2], scale: [0.5, 3] },
  classes: { count: 3, nullClass: 3, guidance: 1 }, runId: null, seed: null, studioVersion: null,
};

/** The network as the engine's Model, one time for the batch and the same labels. */
function netModel(meta: StudioModelMeta): Model {
  return {
    parameterisation: meta.parameterisation,
    schedule: createSchedule(meta.schedule),
    predict(x, t) {
      const inputs = { x: floatTensor(Float32Array.from(x.data), [n, 2]), t: floatTensor(new Float32Array(n).fill(t), [n]), y: int64Tensor(labels, [n]) };
      return evaluateGraph(net.graph, weights, inputs).prediction.data as Float32Array;
    },
  };
}

describe('buildSamplerGraph', () => {
  const cases: [string, StudioModelMeta, 'euler' | 'heun', number, string][] = [
    ['heun, velocity on linear, normalised', base, 'heun', 6, 'uniform'],
    ['euler, eps on vp-cosine, in data units', { ...base, parameterisation: 'eps', schedule: { name: 'vp-cosine' }, normalisation: null }, 'euler', 9, 'uniform'],
  ];
  for (const [name, meta, sampler, steps, grid] of cases) {
    it(`equals the sampler loop on the network (${name})`, async () => {
      const schedule = createSchedule(meta.schedule);
      const noise = new Rng(11).fillNormal(new Float32Array(n * 2));
      const graph = buildSamplerGraph(net.graph, meta, { sampler, steps, grid });
      const got = evaluateGraph(graph, weights, { noise: floatTensor(noise, [n, 2]), y: int64Tensor(labels, [n]) }).samples.data as Float32Array;
      const times = makeGrid(grid, schedule, steps, 1, schedule.tMin);
      const start = noise.map((z) => z * schedule.sigma(times[0]));
      const loop = await sample(sampler, netModel(meta), { data: start, shape: [n, 2] }, { grid: times });
      const want = denormalise(Float32Array.from(loop.x.data), meta.normalisation, 2);
      expect(loop.nfe).toBe(sampler === 'heun' ? 2 * steps : steps);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('refuses a sampler it cannot unroll and step counts outside 1 to 1024 evaluations', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof StudioError ? e.message : String(e);
      }
      return undefined;
    };
    expect(code(() => buildSamplerGraph(net.graph, base, { sampler: 'rk4' as 'euler', steps: 4 }))).toMatch(/euler or heun, not 'rk4'/);
    expect(code(() => buildSamplerGraph(net.graph, base, { sampler: 'heun', steps: 0 }))).toMatch(/from 1 to 512/);
    expect(code(() => buildSamplerGraph(net.graph, base, { sampler: 'heun', steps: 513 }))).toMatch(/from 1 to 512/);
    expect(code(() => buildSamplerGraph(net.graph, base, { sampler: 'euler', steps: 1024 }))).toBeUndefined();
  });

  it('writes metadata a network reader refuses, naming what it unrolls', () => {
    const md = samplerGraphMetadata(base, { sampler: 'heun', steps: 6 });
    expect(md).toMatchObject({ 'studio.kind': 'sampler-graph', 'studio.sampler': 'heun', 'studio.steps': '6', 'studio.grid': 'uniform' });
    expect(md['studio.format']).toBeUndefined();
    expect(() => parseStudioMetadata(md)).toThrow(/self-contained sampler graph/);
  });
});
