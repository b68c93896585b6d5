// Times Euler-100 over 10,000 points on the reference MLP 3->256->256->256->2 through the ONNX model adapter (in-process ONNX Runtime).
// Run: npx jiti test/sampling/bench-sampling.ts   (after npm run build; one warm-up run, then 3 timed runs per setting; prints the median)
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { onnxModel } from '../../src-main/sampling/onnx-model';
import { createChildProcessRunner } from '../../src-main/sampling/child-runner';
import { createInProcessRunner, type OnnxRunner } from '../../src-main/sampling/onnx-runner';
import { tempDir } from './fixtures';

const n = 10_000;
const steps = 100;
const model = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
const path = join(tempDir('studio-bench-'), 'reference.onnx');
const meta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null } as const;
writeFileSync(path, writeOnnx(model.graph, initParams(model.layout, new Rng(1)), { metadata: studioMetadata(meta) }));
const noise = new Rng(2).fillNormal(new Float32Array(n * 2));

const worker = resolve('out/main/sampling-worker.js');
const settings: [string, number, () => OnnxRunner][] = [1, 2].flatMap((threads): [string, number, () => OnnxRunner][] => [
  ['in-process', threads, () => createInProcessRunner({ threads })],
  ...(existsSync(worker) ? [['own process', threads, () => createChildProcessRunner({ workerPath: worker, threads })] as [string, number, () => OnnxRunner]] : []),
]);
for (const [where, threads, make] of settings) {
  const runner = make();
  const handle = await runner.open(path);
  const m = onnxModel(runner, handle);
  const times: number[] = [];
  for (let k = 0; k < 4; k++) {
    const t0 = performance.now();
    const r = await sample('euler', m, { data: noise.slice(), shape: [n, 2] }, { grid: { name: 'uniform', steps } });
    if (r.nfe !== steps) throw new Error(`nfe ${r.nfe}`);
    if (k > 0) times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const s = times[1];
  console.log(`${where}, threads ${threads}: Euler-${steps}, ${n} points: ${s.toFixed(3)} s (median of 3; runs ${times.map((x) => x.toFixed(3)).join(', ')}), ${Math.round(n / s)} points/s, ${(s / steps * 1000).toFixed(2)} ms per step`);
  await runner.close();
}
