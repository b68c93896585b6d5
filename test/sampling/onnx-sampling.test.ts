// Sampling through ONNX Runtime equals sampling through the reference evaluator; the service's noise, labels, guidance, records, progress, cancel and errors.
import { afterAll, describe, expect, it } from 'vitest';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventHub } from '../../src-core/api/event-hub';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { guidedModel, sample } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { onnxModel } from '../../src-main/sampling/onnx-model';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { createStudioHost } from '../../src-main/services/studio-host';
import { graphModel, tempDir } from './fixtures';

const dir = tempDir();
const baseMeta: StudioModelMeta = {
  parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null,
};

function writeModel(name: string, mlp: ReturnType<typeof buildMlp>, params: Float32Array, meta: StudioModelMeta): string {
  const path = join(dir, name);
  writeFileSync(path, writeOnnx(mlp.graph, params, { metadata: studioMetadata(meta) }));
  return path;
}

const mlp = buildMlp({ dataDim: 2, hidden: [64, 64], timeEmbedding: { kind: 'raw' } });
const params = initParams(mlp.layout, new Rng(21));
const plainPath = writeModel('plain.onnx', mlp, params, baseMeta);
const vpMeta: StudioModelMeta = { ...baseMeta, parameterisation: 'eps', schedule: { name: 'vp-linear' } };
const vpPath = writeModel('vp.onnx', mlp, params, vpMeta);
const cond = buildMlp({ dataDim: 2, hidden: [32, 32], timeEmbedding: { kind: 'raw' }, classes: 3 });
const condParams = initParams(cond.layout, new Rng(22));
const condPath = writeModel('cond.onnx', cond, condParams, { ...baseMeta, classes: { count: 3, nullClass: 3, guidance: 2 } });
const normPath = writeModel('norm.onnx', mlp, params, { ...baseMeta, normalisation: { mean: [10, -5], scale: [2, 3] } });

const runner = createInProcessRunner({ threads: 1 });
const service = new SamplingService(null, runner);
afterAll(() => service.close());

const noise = new Rng(9).fillNormal(new Float32Array(256 * 2));
const batchOf = () => ({ data: noise.slice(), shape: [256, 2] });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('the ONNX model adapter', () => {
  for (const [sampler, path, meta] of [['euler', plainPath, baseMeta], ['heun', plainPath, baseMeta], ['ddim', vpPath, vpMeta], ['dpmpp-2m', vpPath, vpMeta]] as const) {
    it(`samples like the reference evaluator with the same noise (${sampler}, ${meta.parameterisation} on ${meta.schedule.name})`, async () => {
      const handle = await runner.open(path);
      const schedule = createSchedule(meta.schedule);
      const grid = { name: 'uniform', steps: 20, tMax: meta.schedule.name === 'linear' ? 1 : 0.99 };
      const viaOrt = await sample(sampler, onnxModel(runner, handle), batchOf(), { grid });
      const viaGraph = await sample(sampler, graphModel(mlp.graph, params, schedule, meta.parameterisation), batchOf(), { grid });
      expect(viaOrt.nfe).toBe(viaGraph.nfe);
      // float32 kernels differ in summation order; relative to the samples' size, the paths agree to ~1e-5
      const scale = Math.max(1, ...Array.from(viaGraph.x.data, Math.abs));
      expect(maxDiff(viaOrt.x.data, viaGraph.x.data) / scale).toBeLessThan(5e-5);
    });
  }

  it('feeds labels, the null label, and guides against it', async () => {
    const labels = Array.from({ length: 256 }, (_, i) => i % 3);
    const schedule = createSchedule(baseMeta.schedule);
    const c = graphModel(cond.graph, condParams, schedule, 'velocity', labels);
    const u = graphModel(cond.graph, condParams, schedule, 'velocity', new Array<number>(256).fill(3));
    const want = await sample('euler', guidedModel(c, u, 2), { data: noise.slice(), shape: [256, 2] }, { grid: { name: 'uniform', steps: 10 } });
    const got = await service.run({ model: { kind: 'onnx', path: condPath }, sampler: 'euler', steps: 10, noise: noise.slice(), labels: Int32Array.from(labels) });
    expect(maxDiff(got.samples, want.x.data)).toBeLessThan(2e-4);
    const w1 = await service.run({ model: { kind: 'onnx', path: condPath }, sampler: 'euler', steps: 10, noise: noise.slice(), labels: Int32Array.from(labels), guidance: 1 });
    const plainCond = await sample('euler', c, { data: noise.slice(), shape: [256, 2] }, { grid: { name: 'uniform', steps: 10 } });
    expect(maxDiff(w1.samples, plainCond.x.data)).toBeLessThan(2e-4);
    await expect(service.run({ model: { kind: 'onnx', path: condPath }, sampler: 'euler', steps: 2, n: 2, labels: new Int32Array([0, 5]) })).rejects.toThrow(/label \[1\] = 5 is not a class/);
  });

  it('keeps one session per file and opens a fresh one when the file changes', async () => {
    const a = await runner.open(plainPath);
    expect((await runner.open(plainPath)).key).toBe(a.key);
    const later = new Date(Date.now() + 5000);
    utimesSync(plainPath, later, later);
    const b = await runner.open(plainPath);
    expect(b.key).not.toBe(a.key);
    await expect(runner.predict(a, { x: new Float32Array(2), shape: [1, 2], t: 0.5, labels: null })).rejects.toThrow(/no longer open/);
  });
});

describe('SamplingService', () => {
  it('undoes the normalisation on the samples and the recorded paths', async () => {
    const plain = await service.run({ model: { kind: 'onnx', path: plainPath }, sampler: 'heun', steps: 8, noise: noise.slice(), record: [0, 5] });
    const norm = await service.run({ model: { kind: 'onnx', path: normPath }, sampler: 'heun', steps: 8, noise: noise.slice(), record: [0, 5] });
    expect(norm.samples[0]).toBeCloseTo(plain.samples[0] * 2 + 10, 4);
    expect(norm.samples[1]).toBeCloseTo(plain.samples[1] * 3 - 5, 4);
    expect(norm.trajectory?.shape).toEqual([9, 2, 2]);
    expect(norm.trajectory?.x[3]).toBeCloseTo((plain.trajectory?.x[3] ?? NaN) * 3 - 5, 4);
  });

  it('samples the oracle, draws noise from the seed, and reports every step', async () => {
    const events = new EventHub();
    const seen: number[] = [];
    events.on('sampling.progress', (p) => seen.push(p.step));
    const s = new SamplingService(events, runner);
    const mixture = { weights: [1], means: [[1, -0.5]], covariances: [[[0.25, 0], [0, 0.25]]] };
    const a = await s.run({ id: 'run-a', model: { kind: 'oracle', mixture, schedule: { name: 'linear' } }, sampler: 'heun', steps: 16, n: 4000, seed: 3 });
    const b = await s.run({ model: { kind: 'oracle', mixture, schedule: { name: 'linear' } }, sampler: 'heun', steps: 16, n: 4000, seed: 3 });
    expect(a.id).toBe('run-a');
    expect([...a.samples]).toEqual([...b.samples]);
    expect(seen.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    let mx = 0;
    for (let i = 0; i < 4000; i++) mx += a.samples[2 * i] / 4000;
    expect(Math.abs(mx - 1)).toBeLessThan(0.05);
  });

  it('stops a run on cancel', async () => {
    let id = '';
    const p = service.run({ id: 'slow', model: { kind: 'onnx', path: plainPath }, sampler: 'euler', steps: 1000, n: 64 }, (info) => {
      if (info.step === 3) id = service.cancel('slow') ? 'slow' : 'missing';
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(id).toBe('slow');
    expect(service.cancel('slow')).toBe(false);
  });

  it('names what is wrong with a request', async () => {
    const onnx = { kind: 'onnx' as const, path: plainPath };
    await expect(service.run({ model: onnx, sampler: 'hune', steps: 2, n: 2 })).rejects.toThrow(/unknown sampler 'hune'; known: euler/);
    await expect(service.run({ model: onnx, sampler: 'euler', steps: 2, noise: new Float32Array(5) })).rejects.toThrow(/noise has 5 numbers, not a whole number of items of the model's data shape \[2\]/);
    await expect(service.run({ model: onnx, sampler: 'euler', steps: 2, n: 3, noise: new Float32Array(4) })).rejects.toThrow(/3 samples of the model's data shape \[2\] need 6/);
    await expect(service.run({ model: onnx, sampler: 'euler', steps: 2, n: 2, labels: new Int32Array([0, 1]) })).rejects.toThrow(/not class-conditional/);
    await expect(service.run({ model: { kind: 'onnx', path: join(dir, 'none.onnx') }, sampler: 'euler', steps: 2, n: 2 })).rejects.toThrow(/no such file/);
    await expect(service.run({ model: onnx, sampler: 'euler', steps: 0, n: 2 })).rejects.toThrow(/steps/);
  });

  it('answers sampling.run through the API with typed arrays', async () => {
    const host = createStudioHost({ workspace: tempDir(), version: 'test', host: 'direct' });
    const reply = await host.dispatch('sampling.run', { model: { kind: 'onnx', path: plainPath }, sampler: 'euler', steps: 4, n: 10, seed: 1 });
    expect(reply.ok).toBe(true);
    if (reply.ok) expect((reply.result as { samples: unknown }).samples).toBeInstanceOf(Float32Array);
    const bad = await host.dispatch('sampling.run', { model: { kind: 'onnx', path: plainPath }, sampler: 'euler', steps: 4, n: 10, extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    const list = await host.dispatch('sampling.samplers', {});
    expect(list.ok && (list.result as { name: string }[]).map((s) => s.name)).toContain('heun');
  });
});
