// Times the forward pass of the reference MLP 3->256->256->256->2 (SiLU) exported to ONNX, run by onnxruntime-node.
// Run: npx jiti bench/onnx-forward.ts   (batch 10,000; 100 timed calls after 5 warm-up calls; 1 and 2 intra-op threads)
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildMlp, initParams } from '../src-core/graph';
import { writeOnnx } from '../src-core/onnx';
import { Rng } from '../src-core/rng';
import { createSession, type SessionTensor } from '../src-main/ort/ort-session';
import { median } from './lib/common';

const batchSize = 10_000;
const calls = 100;
const warmup = 5;
const hidden = [256, 256, 256];

const model = buildMlp({ dataDim: 2, hidden, timeEmbedding: { kind: 'raw' } });
const bytes = writeOnnx(model.graph, initParams(model.layout, new Rng(1)));
// matmul work only (bias, SiLU and concat are a few percent more): 2 * sum of fanIn * fanOut per row
const widths = [3, ...hidden, 2];
const flopsPerRow = widths.slice(1).reduce((s, w, i) => s + 2 * widths[i] * w, 0);
const flopsPerCall = flopsPerRow * batchSize;

const rng = new Rng(2);
const x: SessionTensor = { type: 'float32', data: rng.fillNormal(new Float32Array(batchSize * 2)), dims: [batchSize, 2] };
const t: SessionTensor = { type: 'float32', data: rng.fillUniform(new Float32Array(batchSize)), dims: [batchSize] };


async function bench(threads: number, preallocated: boolean): Promise<void> {
  // the project's one ONNX Runtime module: sequential execution, all graph optimisations, one inter-op thread
  const session = await createSession(bytes, { threads });
  const out: SessionTensor = { type: 'float32', data: new Float32Array(batchSize * 2), dims: [batchSize, 2] };
  const run = () => (preallocated ? session.runInto({ x, t }, { prediction: out }) : session.run({ x, t }));
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  await session.release();
  const mean = total / calls;
  const label = `${threads} thread${threads > 1 ? 's' : ''}, ${preallocated ? 'preallocated output' : 'fresh output'}`;
  console.log(
    `${label.padEnd(36)} mean ${mean.toFixed(2)} ms/call, median ${median(times).toFixed(2)} ms, ` +
      `${(flopsPerCall / (mean / 1000) / 1e9).toFixed(1)} GFLOP/s (mean), ${(flopsPerCall / (median(times) / 1000) / 1e9).toFixed(1)} GFLOP/s (median)`,
  );
}

const ortVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
console.log(`onnxruntime-node ${ortVersion}; MLP ${widths.join('->')} (SiLU), ${model.layout.size} parameters`);
console.log(`batch ${batchSize}, ${calls} calls, ${(flopsPerCall / 1e9).toFixed(3)} GFLOP per call (matmul), sequential execution`);
for (const threads of [1, 2]) {
  for (const preallocated of [false, true]) await bench(threads, preallocated);
}
