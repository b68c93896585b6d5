// The self-contained sampler graph equals the step-by-step loop on the exported network, passes ONNX's checker, and refuses what it cannot hold.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floatTensor, int64Tensor, type Tensor } from '../../src-core/graph';
import { readOnnx } from '../../src-core/onnx/reader';
import { Rng } from '../../src-core/rng';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { exportRun } from '../../src-main/export/export-run';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { runOnnxChecker, runOrt } from '../onnx/ort-helpers';
import { PYTHON_ONNX, have } from '../prerequisites';
import { makeRun, tempDir } from './fixtures';

// without python3-onnx the checker's assertion is left out here (one line says so); under CI the file fails instead
const checker = have(PYTHON_ONNX);
const service = new SamplingService();
afterAll(() => service.close());
const n = 200;
const noise = new Rng(17).fillNormal(new Float32Array(n * 2));

const CASES: [string, TrainingConfigInput, 'euler' | 'heun', number][] = [
  ['heun, velocity on linear, standardised data', { data: { source: 'builtin', id: 'two-moons', params: { count: 300 }, normalise: 'standardise' }, model: { family: 'mlp', hidden: [32, 32] }, steps: 10 }, 'heun', 8],
  ['euler, eps on vp-cosine, sinusoidal time', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 200 } }, model: { family: 'mlp', hidden: [32], timeEmbedding: { kind: 'sinusoidal', dim: 8 } }, objective: { parameterisation: 'eps', schedule: { name: 'vp-cosine' } }, steps: 10 }, 'euler', 12],
  ['heun, class-conditional', { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 200 } }, model: { family: 'mlp', hidden: [32, 32], classes: 4 }, steps: 10 }, 'heun', 6],
];

describe('sampler graph export', () => {
  for (const [name, config, sampler, steps] of CASES) {
    it(`equals the step-by-step loop (${name})`, async () => {
      const run = await makeRun(config);
      const out = tempDir();
      const net = join(out, 'net.onnx');
      const graphPath = join(out, 'sampler.onnx');
      await exportRun(run.dir, net);
      await exportRun(run.dir, graphPath, { samplerGraph: { sampler, steps } });
      const bytes = new Uint8Array(readFileSync(graphPath));
      if (checker) expect(runOnnxChecker(bytes, 'sampler')).toEqual({ ok: true, stderr: '' });
      const info = readOnnx(bytes);
      expect(info.metadata).toMatchObject({ 'studio.kind': 'sampler-graph', 'studio.sampler': sampler, 'studio.steps': String(steps) });
      expect(info.initializers.length).toBeLessThan(info.nodes.length); // the copies share the weights

      const conditional = config.model?.classes !== undefined;
      const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
      const feeds: Record<string, Tensor> = { noise: floatTensor(noise, [n, 2]) };
      if (conditional) feeds.y = int64Tensor(Array.from(labels), [n]);
      const got = (await runOrt(bytes, feeds)).samples;
      const want = await service.run({ model: { kind: 'onnx', path: net }, sampler, steps, noise: noise.slice(), ...(conditional ? { labels, guidance: 1 } : {}) });
      const scale = Math.max(1, ...Array.from(want.samples, Math.abs));
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - want.samples[i]));
      expect(diff / scale).toBeLessThan(1e-4);
    });
  }

  it('refuses samplers and step counts it cannot unroll, and is not mistaken for a network', async () => {
    const run = await makeRun(CASES[0][1]);
    const path = join(tempDir(), 'sg.onnx');
    await expect(exportRun(run.dir, path, { samplerGraph: { sampler: 'rk4' as 'euler', steps: 4 } })).rejects.toThrow(/euler or heun, not 'rk4'/);
    await expect(exportRun(run.dir, path, { samplerGraph: { sampler: 'heun', steps: 0 } })).rejects.toThrow(/steps must be an integer/);
    await exportRun(run.dir, path, { samplerGraph: { sampler: 'euler', steps: 2 } });
    await expect(service.run({ model: { kind: 'onnx', path }, sampler: 'euler', steps: 2, n: 2 })).rejects.toThrow(/self-contained sampler graph/);
  });
});
