// Whole requests served by the built sampling process (out/main/sampling-worker.js): the same samples as the loop in this
// process, every step in order, cancel and kill mid-request, and a handful of messages per request instead of two per evaluation.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventHub } from '../../src-core/api/event-hub';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { signalProcess } from '../../src-main/process';
import { createChildProcessRunner } from '../../src-main/sampling/child-runner';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { MIXTURE } from '../support/sampling-fixtures';
import { built, have } from '../prerequisites';
import { tempDir } from './fixtures';

const WORKER = resolve('out/main/sampling-worker.js');
const dir = tempDir();
const meta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: { mean: [1, -2], scale: [2, 0.5] }, classes: { count: 3, nullClass: 3, guidance: 1.5 }, runId: null, seed: null, studioVersion: null } as const;
const mlp = buildMlp({ dataDim: 2, hidden: [48, 48], timeEmbedding: { kind: 'raw' }, classes: 3 });
const path = join(dir, 'conditional.onnx');
writeFileSync(path, writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(21)), { metadata: studioMetadata(meta) }));
const model = { kind: 'onnx' as const, path };
const oracle = { kind: 'oracle' as const, mixture: MIXTURE, schedule: { name: 'linear' }, parameterisation: 'velocity' as const };

/** The largest |a_i - b_i|, or Infinity when the lengths differ. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.runIf(have(built(WORKER)))('requests served by the sampling process', () => {
  const crossings: { direction: 'to' | 'from'; type: string }[] = [];
  const runner = createChildProcessRunner({ workerPath: WORKER, threads: 1, onCrossing: (direction, type) => crossings.push({ direction, type }) });
  const events = new EventHub();
  const viaProcess = new SamplingService(events, runner);
  const here = new SamplingService(null, createInProcessRunner({ threads: 1 }));
  afterAll(async () => {
    await viaProcess.close();
    await here.close();
  });

  const labels = Int32Array.from({ length: 120 }, (_, i) => [0, 1, 2, 3][i % 4]); // the null label among them
  it.each([
    ['euler', {}],
    ['heun', {}],
    ['dpmpp-2m', { grid: 'log-snr' }],
    ['euler-maruyama', { gamma: 0.7, tMax: 0.995 }],
  ] as const)('%s with a seed, labels and guidance gives the samples of the loop in this process', async (sampler, extra) => {
    const request = { model, sampler, steps: 12, n: 120, seed: 9, labels, guidance: 2.5, record: [0, 7], ...extra };
    const [a, b] = await Promise.all([viaProcess.run(request), here.run(request)]);
    expect(a.nfe).toBe(b.nfe);
    expect(a.shape).toEqual([120, 2]);
    // the same loop over the same ONNX Runtime build, one thread each: bit for bit
    expect(a.samples).toEqual(b.samples);
    expect(a.trajectory?.shape).toEqual([13, 2, 2]);
    expect(a.trajectory?.x).toEqual(b.trajectory?.x);
    expect(a.trajectory?.x0).toEqual(b.trajectory?.x0);
    expect([...a.times]).toEqual([...b.times]);
    // the samples differ from those without guidance: the labels and the weight reached the process
    const plain = await viaProcess.run({ ...request, guidance: 1 });
    expect(maxDiff(plain.samples, a.samples)).toBeGreaterThan(1e-3);
  });

  it('computes the likelihood of the oracle and of a file as the loop in this process does', async () => {
    const x = new Rng(4).fillNormal(new Float32Array(40 * 2));
    for (const m of [oracle, model]) {
      const request = { model: m, x, steps: 6, perPoint: true };
      const [a, b] = await Promise.all([viaProcess.likelihood(request), here.likelihood(request)]);
      expect(a.nfe).toBe(b.nfe);
      expect(maxDiff(a.nll ?? [], b.nll ?? [])).toBeLessThanOrEqual(1e-9);
    }
  });

  it('names what is wrong with a request in the same words as the loop in this process', async () => {
    const bad = { model, sampler: 'euler', steps: 2, n: 3, labels: new Int32Array([0, 9, 1]) };
    const [a, b] = await Promise.all([viaProcess.run(bad).catch((e: unknown) => e), here.run(bad).catch((e: unknown) => e)]);
    expect(a).toMatchObject({ name: 'StudioError', code: 'invalid-argument', message: expect.stringMatching(/label \[1\] = 9 is not a class of the model/) });
    expect((a as Error).message).toBe((b as Error).message);
  });

  it('relays every step in order, to the caller and as sampling.progress', async () => {
    const seen: number[] = [];
    const evented: { step: number; total: number | null; t: number; nfe: number }[] = [];
    const off = events.on('sampling.progress', (p) => p.id === 'ordered' && evented.push(p));
    const r = await viaProcess.run({ id: 'ordered', model, sampler: 'heun', steps: 300, n: 1500, seed: 1 }, (info) => seen.push(info.step));
    off();
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(evented.map((e) => e.step)).toEqual(seen);
    expect(evented.every((e, i) => e.total === 300 && e.nfe === 2 * (i + 1) && (i === 0 || e.t < evented[i - 1].t))).toBe(true);
    expect(evented[299].nfe).toBe(r.nfe);
  });

  it('crosses the process boundary a few times per request, not twice per network evaluation', async () => {
    await viaProcess.run({ model, sampler: 'euler', steps: 2, n: 10 }); // the process is up and the model open
    crossings.length = 0;
    const started = performance.now();
    const r = await viaProcess.run({ model, sampler: 'heun', steps: 100, n: 500, seed: 2 });
    const ms = performance.now() - started;
    const progress = crossings.filter((c) => c.type === 'progress').length;
    console.info(`[figure] a Heun-100 request (${r.nfe} network evaluations, ${ms.toFixed(0)} ms): ${crossings.length} messages crossed (${progress} progress), where one round trip per evaluation made ${2 * r.nfe}`);
    expect(crossings.filter((c) => c.direction === 'to')).toEqual([{ direction: 'to', type: 'sample' }]);
    expect(crossings.filter((c) => c.type === 'sampled')).toHaveLength(1);
    // the first step at once, then at most one batch per 50 ms, then the last ones with the result
    expect(progress).toBeGreaterThanOrEqual(1);
    expect(progress).toBeLessThanOrEqual(2 + Math.ceil(ms / 50));
    expect(crossings).toHaveLength(progress + 2);
  });

  it('stops a request on cancel within a second, and the same process serves the next one', async () => {
    let cancelledAt = 0;
    let pid: number | undefined;
    const run = viaProcess.run({ id: 'long', model, sampler: 'euler', steps: 100_000, n: 256 }, () => {
      if (cancelledAt > 0) return;
      pid = runner.processId?.();
      cancelledAt = performance.now();
      expect(viaProcess.cancel('long')).toBe(true);
    });
    await expect(run).rejects.toMatchObject({ name: 'StudioError', code: 'cancelled' });
    const ms = performance.now() - cancelledAt;
    console.info(`[figure] cancel of a running request answered in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    expect(viaProcess.cancel('long')).toBe(false);
    const next = await viaProcess.run({ id: 'long', model, sampler: 'euler', steps: 4, n: 8 });
    expect(next.samples.every(Number.isFinite)).toBe(true);
    expect(runner.processId?.()).toBe(pid);
  });

  it('fails the request of a killed process with the reason, and serves the next one from a new process', async () => {
    let pid: number | undefined;
    const run = viaProcess.run({ model, sampler: 'euler', steps: 100_000, n: 256 }, () => {
      if (pid !== undefined) return;
      pid = runner.processId?.();
      signalProcess(pid, 'SIGKILL');
    });
    await expect(run).rejects.toThrow(/^ONNX Runtime's sampling process was killed \(SIGKILL\); the next request starts a new one$/);
    const next = await viaProcess.run({ model, sampler: 'heun', steps: 4, n: 16, labels: new Int32Array(16) });
    expect(next.samples.every(Number.isFinite)).toBe(true);
    expect(runner.processId?.()).not.toBe(pid);
  });
});
