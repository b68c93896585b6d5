// Steps/s of workload W (CFM on eight gaussians, MLP 3->256->256->256->2 SiLU, Adam 1e-3) on the tfjs cpu and wasm backends,
// with tfjs's own matMul gradient and with the custom one. Run: npx jiti bench/tfjs-train-step.ts [--quick]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { generateDataset } from '../src-core/data';
import { buildMlp, initParams } from '../src-core/graph';
import { Rng } from '../src-core/rng';
import type { BackendSpec, OptimiserSettings, TrainBatch } from '../src-core/training/backend';
import { TfjsTrainer, type MatMulGradient } from '../src-core/training/tfjs';
import { activateCpu } from '../src-main/training/backends/cpu-backend';
import { activateWasm } from '../src-main/training/backends/wasm-backend';

const quick = process.argv.includes('--quick');
const OPT: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.999 };
const model = buildMlp({ dataDim: 2, hidden: [256, 256, 256], timeEmbedding: { kind: 'raw' } });
const data = generateDataset('eight-gaussians', { count: 10_000 }).data;

function cfmBatch(rng: Rng, n: number): TrainBatch {
  const xt = new Float32Array(2 * n);
  const target = new Float32Array(2 * n);
  const t = rng.fillUniform(new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const k = rng.int(data.length / 2);
    for (let j = 0; j < 2; j++) {
      const eps = rng.normal();
      xt[2 * i + j] = (1 - t[i]) * data[2 * k + j] + t[i] * eps;
      target[2 * i + j] = eps - data[2 * k + j];
    }
  }
  return { n, xt, t, target, weight: new Float32Array(n).fill(1) };
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

/** Median steps/s over timed rounds, after warm-up steps; each round runs for about `roundSeconds`. */
async function measure(engine: 'cpu' | 'wasm', n: number, gradient: MatMulGradient): Promise<{ stepsPerSecond: number; steps: number }> {
  await (engine === 'cpu' ? activateCpu() : activateWasm());
  const params = initParams(model.layout, new Rng(1));
  const spec: BackendSpec = { graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: n, state: { step: 0, params, m: new Float32Array(params.length), v: new Float32Array(params.length), ema: params.slice() } };
  const trainer = new TfjsTrainer(spec, { name: engine, device: engine, matMulGradient: gradient });
  const rng = new Rng(2);
  const batches = Array.from({ length: 4 }, () => cfmBatch(rng, n));
  let steps = 0;
  try {
    for (let i = 0; i < 2; i++) await trainer.step(batches[i % 4], 1e-3);
    const rounds: number[] = [];
    const roundSeconds = quick ? 1 : 3;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      let k = 0;
      while (k < 1 || performance.now() - t0 < roundSeconds * 1000) await trainer.step(batches[k++ % 4], 1e-3);
      rounds.push((k * 1000) / (performance.now() - t0));
      steps += k;
    }
    rounds.sort((a, b) => a - b);
    return { stepsPerSecond: rounds[1], steps };
  } finally {
    trainer.dispose();
  }
}

console.log(`workload W on tfjs (median of 3 rounds of about ${quick ? 1 : 3} s each; load before: ${loadavg()})`);
console.log('| backend | batch | tfjs matMul gradient (steps/s) | custom matMul gradient (steps/s) | speed-up |');
console.log('|---|---|---|---|---|');
for (const engine of ['wasm', 'cpu'] as const) {
  for (const n of [256, 4096]) {
    const asIs = await measure(engine, n, 'tfjs');
    const custom = await measure(engine, n, 'custom');
    const fmt = (x: number) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
    console.log(`| ${engine} | ${n} | ${fmt(asIs.stepsPerSecond)} | ${fmt(custom.stepsPerSecond)} | ${(custom.stepsPerSecond / asIs.stepsPerSecond).toFixed(2)}x |`);
  }
}
console.log(`load after: ${loadavg()}`);
