// Peak resident memory (VmHWM) of one job in a fresh process: ONNX training of workload W, or sampling 100,000 points through ONNX Runtime.
// Run by bench/run.ts: jiti bench/memory-child.ts <train-onnx|sample-onnx> ; prints one JSON line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParams } from '../src-core/graph';
import { studioMetadata } from '../src-core/onnx/studio-format';
import { writeOnnx } from '../src-core/onnx/writer';
import { Rng } from '../src-core/rng';
import { sample } from '../src-core/sampling';
import { onnxModel } from '../src-main/sampling/onnx-model';
import { createInProcessRunner } from '../src-main/sampling/onnx-runner';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { ADAM, cfmBatches, referenceMlp } from './lib/common';

/** This process's peak resident set in kB. */
function vmhwmKb(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.split(/\s+/)[1]) : -1;
}

const mode = process.argv[2];
const mlp = referenceMlp();
const params = initParams(mlp.layout, new Rng(1));
const baseline = vmhwmKb();
if (mode === 'train-onnx') {
  const batch = Number(process.argv[3] ?? 4096);
  const P = params.length;
  const backend = await createOnnxruntimeBackend(
    { graph: mlp.graph, layout: mlp.layout, optimiser: ADAM, batchSize: batch, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } },
    { threads: 2, provider: 'cpu' },
  );
  const batches = cfmBatches(batch, 2);
  for (let k = 0; k < 20; k++) await backend.step(batches[k % 8], 1e-3);
  backend.dispose();
} else if (mode === 'sample-onnx') {
  const n = Number(process.argv[3] ?? 100_000);
  const dir = process.argv[4] ?? '/tmp';
  const path = join(dir, `memory-${process.pid}.onnx`);
  writeFileSync(path, writeOnnx(mlp.graph, params, { metadata: studioMetadata({ parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null }) }));
  const runner = createInProcessRunner({ threads: 2 });
  const noise = new Rng(2).fillNormal(new Float32Array(n * 2));
  await sample('euler', onnxModel(runner, await runner.open(path)), { data: noise, shape: [n, 2] }, { grid: { name: 'uniform', steps: 10 } });
  await runner.close();
} else {
  throw new Error(`unknown mode '${mode}': train-onnx [batch] | sample-onnx [points] [dir]`);
}
console.log(JSON.stringify({ mode, baselineKb: baseline, vmhwmKb: vmhwmKb() }));
