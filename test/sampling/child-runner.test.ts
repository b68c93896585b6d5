// ONNX Runtime in its own process (the built out/main/sampling-worker.js): same predictions as in-process, typed errors, and a crash that ends one run, not the studio.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { createChildProcessRunner } from '../../src-main/sampling/child-runner';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { tempDir } from './fixtures';
import { signalProcess } from '../../src-main/process';
import { built, have } from '../prerequisites';

const WORKER = resolve('out/main/sampling-worker.js');
const dir = tempDir();
const meta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: { count: 2, nullClass: 2, guidance: 1.5 }, runId: null, seed: null, studioVersion: null } as const;
const mlp = buildMlp({ dataDim: 2, hidden: [64, 64], timeEmbedding: { kind: 'raw' }, classes: 2 });
const bytes = writeOnnx(mlp.graph, initParams(mlp.layout, new Rng(8)), { metadata: studioMetadata(meta) });
const path = join(dir, 'model.onnx');
writeFileSync(path, bytes);
writeFileSync(join(dir, 'truncated.onnx'), bytes.subarray(0, 100));

describe.runIf(have(built(WORKER)))('the sampling process', () => {
  const child = createChildProcessRunner({ workerPath: WORKER, threads: 1 });
  const local = createInProcessRunner({ threads: 1 });
  afterAll(async () => {
    await child.close();
    await local.close();
  });

  it('predicts what the in-process runner predicts, labels included', async () => {
    const a = await child.open(path);
    const b = await local.open(path);
    expect(a.meta).toEqual(b.meta);
    expect(a.conditional).toBe(true);
    const x = new Rng(1).fillNormal(new Float32Array(64 * 2));
    const labels = BigInt64Array.from({ length: 64 }, (_, i) => BigInt(i % 3));
    const got = await child.predict(a, { x, shape: [64, 2], t: 0.4, labels });
    expect([...got]).toEqual([...(await local.predict(b, { x, shape: [64, 2], t: 0.4, labels }))]);
  });

  it('reports the worker\'s errors with their codes', async () => {
    await expect(child.open(join(dir, 'truncated.onnx'))).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/not a usable ONNX model/) });
    await expect(child.open(join(dir, 'missing.onnx'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a killed process fails the run in progress with the reason; the next run starts a new one', async () => {
    const service = new SamplingService(null, createChildProcessRunner({ workerPath: WORKER, threads: 1 }));
    try {
      let killed = false;
      const run = service.run({ model: { kind: 'onnx', path }, sampler: 'euler', steps: 20_000, n: 256 }, (info) => {
        if (info.step !== 3 || killed) return;
        killed = true;
        const pids = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'sampling-worker'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
        for (const pid of pids) signalProcess(Number(pid), 'SIGKILL');
      });
      await expect(run).rejects.toThrow(/sampling process was killed \(SIGKILL\); the next request starts a new one/);
      expect(killed).toBe(true);
      const again = await service.run({ model: { kind: 'onnx', path }, sampler: 'heun', steps: 4, n: 16, labels: new Int32Array(16) });
      expect(again.samples).toHaveLength(32);
    } finally {
      await service.close();
    }
  });
});
