// `npm run gpu-check`: where ONNX Runtime's CUDA (or WebGPU) provider runs, the compiled step and sampling on it against the CPU provider, and its steps/s.
// Run: npm run gpu-check [-- --provider cuda|webgpu|cpu] [--seconds 2] [--rounds 3] [--unet-batch 64]  (cpu: a dry run, the CPU against itself)
// Parity: workload W (bench/lib/common.ts) trained 100 steps on both providers from one initialisation and the same
// batches (max difference of the losses and of the parameters), then 10,000 points sampled from one set of weights
// through the sampling process's runner on each (max difference of the samples). Speed: steps/s of workload W at batch
// 256, 1024 and 4096 and of the U-Net (bench/lib/unet-bench.ts defaults), CPU and GPU interleaved per round, medians
// with min-max and the 1-minute load. Where the provider does not start it prints ONNX Runtime's reason and exits 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams } from '../src-core/graph';
import { buildUnet } from '../src-core/graph/families/unet';
import { studioMetadata } from '../src-core/onnx/studio-format';
import { writeOnnx } from '../src-core/onnx/writer';
import { Rng } from '../src-core/rng';
import { sample } from '../src-core/sampling';
import type { BackendSpec, OptimiserSettings, TrainBatch, TrainingBackend } from '../src-core/training/backend';
import { checkProvider } from '../src-main/ort/execution-provider';
import type { ExecutionProvider } from '../src-main/ort/ort-session';
import { onnxModel } from '../src-main/sampling/onnx-model';
import { createInProcessRunner } from '../src-main/sampling/onnx-runner';
import { FIXES } from '../src-main/training/backends/backend-fixes';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { ADAM, cfmBatches, loadAverage, median, referenceMlp, spread } from './lib/common';
import { UNET_ADAM, flagValue, unetFromFlags } from './lib/unet-bench';

const args = process.argv.slice(2);
const provider = flagValue(args, 'provider', 'cuda') as ExecutionProvider;
if (provider !== 'cuda' && provider !== 'webgpu' && provider !== 'cpu') {
  console.error(`gpu-check: --provider must be cuda or webgpu (or cpu: a dry run of this script against itself, every difference 0), got '${provider}'`);
  process.exit(1);
}
const seconds = Number(flagValue(args, 'seconds', '2'));
const rounds = Number(flagValue(args, 'rounds', '3'));
const unetBatch = Number(flagValue(args, 'unet-batch', '64'));
const threads = Math.max(1, Math.min(4, availableParallelism()));
const load1 = () => loadAverage()[0].toFixed(2);

const check = await checkProvider(provider, threads);
if (!check.ok) {
  console.error(`gpu-check: ONNX Runtime's ${provider === 'cuda' ? 'CUDA' : provider === 'webgpu' ? 'WebGPU' : 'CPU'} provider does not run on this machine, so there is nothing to compare.`);
  console.error(`  why: ${check.reason}`);
  console.error(`  fix: ${provider === 'cuda' ? FIXES.onnxruntimeCuda : provider === 'webgpu' ? FIXES.onnxruntimeWebgpu : FIXES.onnxruntime}`);
  process.exit(2);
}
console.log(`gpu-check: ${check.device} against the CPU provider (${threads} thread${threads === 1 ? '' : 's'}); load ${loadAverage().join(' ')}`);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function specOf(graph: BackendSpec['graph'], layout: BackendSpec['layout'], optimiser: OptimiserSettings, n: number, seed: number): BackendSpec {
  const params = initParams(layout, new Rng(seed));
  const P = params.length;
  return { graph, layout, optimiser, batchSize: n, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } };
}

const on = (p: ExecutionProvider, spec: BackendSpec) => createOnnxruntimeBackend(spec, { threads, provider: p });

// --- parity: 100 steps of workload W on both providers, one initialisation, the same batches
const W = referenceMlp();
const wBatches = cfmBatches(256, 2);
async function train100(p: ExecutionProvider): Promise<{ losses: Float32Array; params: Float32Array }> {
  const backend = await on(p, specOf(W.graph, W.layout, ADAM, 256, 1));
  try {
    const losses = new Float32Array(100);
    let k = 0;
    const results = await backend.steps(() => wBatches[k++ % wBatches.length], new Array<number>(100).fill(1e-3));
    results.forEach((r, i) => (losses[i] = r.loss));
    return { losses, params: (await backend.readState()).params };
  } finally {
    backend.dispose();
  }
}
const cpuRun = await train100('cpu');
const gpuRun = await train100(provider);
console.log(`\nparity, workload W, 100 steps at batch 256 from one initialisation:`);
console.log(`  loss:       max |cpu - ${provider}| ${maxAbsDiff(cpuRun.losses, gpuRun.losses).toExponential(2)} (losses run ${cpuRun.losses[0].toFixed(4)} -> ${cpuRun.losses[99].toFixed(4)} on the CPU)`);
console.log(`  parameters: max |cpu - ${provider}| ${maxAbsDiff(cpuRun.params, gpuRun.params).toExponential(2)} (largest |parameter| ${maxAbs(cpuRun.params).toFixed(3)})`);

// --- samples: the CPU-trained weights exported, 10,000 points through the sampling runner on each provider, one noise
const dir = mkdtempSync(join(tmpdir(), 'gpu-check-'));
const modelPath = join(dir, 'w.onnx');
writeFileSync(modelPath, writeOnnx(W.graph, cpuRun.params, {
  metadata: studioMetadata({ parameterisation: 'velocity', schedule: { name: 'linear', sigmaMin: 0 }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null }),
}));
const noise = new Rng(9).fillNormal(new Float32Array(10_000 * 2));
async function sampleOn(p: ExecutionProvider): Promise<Float32Array> {
  const runner = createInProcessRunner({
    threads,
    provider: p,
    onCpuFallback: (_path, reason) => {
      throw new Error(`the ${p} provider refused the exported model, so sampling would run on the CPU: ${reason}`);
    },
  });
  try {
    const handle = await runner.open(modelPath);
    const r = await sample('euler', onnxModel(runner, handle), { data: noise.slice(), shape: [10_000, 2] }, { grid: { name: 'uniform', steps: 50, tMax: 1 } });
    return r.x.data as Float32Array;
  } finally {
    await runner.close();
  }
}
const cpuSamples = await sampleOn('cpu');
const gpuSamples = await sampleOn(provider);
rmSync(dir, { recursive: true, force: true });
console.log(`  samples:    max |cpu - ${provider}| ${maxAbsDiff(cpuSamples, gpuSamples).toExponential(2)} over 10,000 points, Euler 50 steps (largest |x| ${maxAbs(cpuSamples).toFixed(3)})`);

// --- speed: steps/s, CPU and GPU alternating within each round
/** Steps/s of one window after a warm-up, through steps() as the trainer calls it (16 per call, or one for large graphs). */
async function rate(backend: TrainingBackend & Required<Pick<TrainingBackend, 'steps'>>, batches: readonly TrainBatch[], perCall: number): Promise<number> {
  let k = 0;
  const lrs = new Array<number>(perCall).fill(1e-3);
  const next = () => batches[k++ % batches.length];
  try {
    await backend.steps(next, lrs);
    const start = performance.now();
    let done = 0;
    while (done < 2 * perCall || performance.now() - start < seconds * 1000) {
      await backend.steps(next, lrs);
      done += perCall;
    }
    return done / ((performance.now() - start) / 1000);
  } finally {
    backend.dispose();
  }
}

const U = buildUnet(unetFromFlags(args));
const D = 28 * 28;
const uRng = new Rng(2);
const uBatches: TrainBatch[] = Array.from({ length: 4 }, () => ({
  n: unetBatch, xt: uRng.fillNormal(new Float32Array(unetBatch * D)), t: uRng.fillUniform(new Float32Array(unetBatch)),
  target: uRng.fillNormal(new Float32Array(unetBatch * D)), weight: new Float32Array(unetBatch).fill(1),
}));
const workloads: { label: string; measure: (p: ExecutionProvider) => Promise<number> }[] = [
  ...[256, 1024, 4096].map((n) => {
    const batches = cfmBatches(n, 2);
    return { label: `workload W, batch ${n}`, measure: async (p: ExecutionProvider) => rate(await on(p, specOf(W.graph, W.layout, ADAM, n, 1)), batches, 16) };
  }),
  { label: `U-Net ${unetFromFlags(args).channels.join(',')}, batch ${unetBatch}`, measure: async (p: ExecutionProvider) => rate(await on(p, specOf(U.graph, U.layout, UNET_ADAM, unetBatch, 1)), uBatches, 1) },
];
console.log(`\nsteps/s (median of ${rounds} rounds [min-max], ${seconds} s windows, CPU and ${provider} alternating; 1-minute load beside each):`);
for (const w of workloads) {
  const cpuRates: number[] = [];
  const gpuRates: number[] = [];
  const loads: string[] = [];
  for (let r = 0; r < rounds; r++) {
    cpuRates.push(await w.measure('cpu'));
    gpuRates.push(await w.measure(provider));
    loads.push(load1());
  }
  const ratio = median(gpuRates) / median(cpuRates);
  console.log(`  ${w.label}: cpu ${spread(cpuRates)}, ${provider} ${spread(gpuRates)}, ${provider}/cpu ${ratio.toFixed(2)}x; load ${loads.join(', ')}`);
}
