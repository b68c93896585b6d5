// The U-Net at batch 64 on 1x28x28: train steps/s of the compiled ONNX step (1 and 2 threads) beside tfjs wasm and cpu, and the forward (sample step) time.
// PyTorch's same network (bench/torch_unet_step.py) runs in its three thread settings as paths torch11, torch21, torch12.
// Run: npx jiti bench/unet-step.ts [--seconds 4] [--repeats 3] [--batch 64] [--channels 32,64] [--blocks 1] [--attention 1] [--paths ort1,ort2,wasm,cpu,torch11,torch21,torch12]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { initParams } from '../src-core/graph';
import { buildUnet } from '../src-core/graph/families/unet';
import { Rng } from '../src-core/rng';
import type { BackendSpec, TrainBatch, TrainingBackend } from '../src-core/training/backend';
import { TfjsTrainer } from '../src-core/training/tfjs';
import { activateCpu } from '../src-main/training/backends/cpu-backend';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { activateWasm } from '../src-main/training/backends/wasm-backend';
import { TORCH_SETTINGS, median, torchJson, torchLabel, type TorchSetting } from './lib/common';
import { flagValue, UNET_ADAM, unetFromFlags } from './lib/unet-bench';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => flagValue(args, name, fallback);
const seconds = Number(opt('seconds', '4'));
const repeats = Number(opt('repeats', '3'));
const n = Number(opt('batch', '64'));
const options = unetFromFlags(args);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const model = buildUnet(options);
const D = 28 * 28;

/** Four seeded CFM-like batches (noise images standing in for data; the timing does not depend on the values). */
function batches(): TrainBatch[] {
  const rng = new Rng(2);
  return Array.from({ length: 4 }, () => ({
    n,
    xt: rng.fillNormal(new Float32Array(n * D)),
    t: rng.fillUniform(new Float32Array(n)),
    target: rng.fillNormal(new Float32Array(n * D)),
    weight: new Float32Array(n).fill(1),
  }));
}

function spec(): BackendSpec {
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  return { graph: model.graph, layout: model.layout, optimiser: UNET_ADAM, batchSize: n, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } };
}

/** Steps/s of one timed window (at least 2 steps, after 2 warm-up steps) and the median forward time in ms. */
async function measure(backend: TrainingBackend): Promise<{ steps: number; forwardMs: number }> {
  const bs = batches();
  try {
    for (let i = 0; i < 2; i++) await backend.step(bs[i % 4], 1e-3);
    let k = 0;
    const start = performance.now();
    while (k < 2 || performance.now() - start < seconds * 1000) await backend.step(bs[k++ % 4], 1e-3);
    const steps = k / ((performance.now() - start) / 1000);
    const times: number[] = [];
    await backend.predict(bs[0].xt, bs[0].t, undefined, n, 'ema');
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await backend.predict(bs[i % 4].xt, bs[i % 4].t, undefined, n, 'ema');
      times.push(performance.now() - t0);
    }
    return { steps, forwardMs: median(times) };
  } finally {
    backend.dispose();
  }
}

/** A path measures one window: train steps/s and the median forward time. */
type Measure = () => Promise<{ steps: number; forwardMs: number }>;
const onBackend = (make: () => Promise<TrainingBackend>): Measure => async () => measure(await make());

/** PyTorch's same network in a thread setting; its parameter count must equal the studio's layout, or it is another network. */
function torchPath(setting: TorchSetting): Measure {
  return async () => {
    if ((options.attentionLevels ?? []).length > 0 || options.classes !== undefined) throw new Error('bench/torch_unet_step.py builds the U-Net without attention or classes');
    const [row] = torchJson('torch_unet_step.py', ['--batch', String(n), '--channels', options.channels.join(','), '--blocks', String(options.resBlocksPerLevel ?? 1), '--groups', String(options.groups), '--seconds', String(seconds)], setting);
    if (row?.parameters !== model.layout.size) throw new Error(`PyTorch's U-Net has ${String(row?.parameters)} parameters, the studio's ${model.layout.size}: not the same network`);
    return { steps: Number(row.steps_per_s), forwardMs: Number(row.forward_ms) };
  };
}

const ALL_PATHS: Record<string, readonly [string, Measure]> = {
  ort1: ['onnxruntime, 1 thread', onBackend(() => createOnnxruntimeBackend(spec(), { threads: 1, cuda: false }))],
  ort2: ['onnxruntime, 2 threads', onBackend(() => createOnnxruntimeBackend(spec(), { threads: 2, cuda: false }))],
  wasm: [
    'tfjs wasm',
    onBackend(async () => {
      await activateWasm();
      return new TfjsTrainer(spec(), { name: 'wasm', device: 'wasm', matMulGradient: 'custom' });
    }),
  ],
  cpu: [
    'tfjs cpu',
    onBackend(async () => {
      await activateCpu();
      return new TfjsTrainer(spec(), { name: 'cpu', device: 'cpu', matMulGradient: 'tfjs' });
    }),
  ],
  ...Object.fromEntries(TORCH_SETTINGS.map((t) => [`torch${t.torch}${t.blas}`, [`PyTorch, ${torchLabel(t)}`, torchPath(t)] as const])),
};
const paths = Object.fromEntries(
  opt('paths', 'ort1,ort2,wasm,cpu').split(',').map((k) => {
    if (!(k in ALL_PATHS)) throw new Error(`--paths: unknown path '${k}' (paths: ${Object.keys(ALL_PATHS).join(', ')})`);
    return ALL_PATHS[k];
  }),
);

console.log(`U-Net ${JSON.stringify({ channels: options.channels, blocks: options.resBlocksPerLevel, attention: options.attentionLevels, groups: options.groups })} on 1x28x28, batch ${n}, ${model.layout.size} parameters, ${model.graph.nodes.length} forward nodes`);
console.log(`${seconds}s windows, median of ${repeats} rounds, paths interleaved per round; load at start ${load()}`);
const rates = new Map<string, number[]>();
const forward = new Map<string, number[]>();
const loads: string[] = [];
for (let r = 0; r < repeats; r++) {
  loads.push(load().split(' ')[0]);
  for (const [name, make] of Object.entries(paths)) {
    const m = await make();
    console.log(`  round ${r + 1}, ${name}: ${m.steps.toFixed(3)} steps/s, forward ${m.forwardMs.toFixed(1)} ms (load ${load().split(' ')[0]})`);
    rates.set(name, [...(rates.get(name) ?? []), m.steps]);
    forward.set(name, [...(forward.get(name) ?? []), m.forwardMs]);
  }
}
const best = Math.max(...['onnxruntime, 1 thread', 'onnxruntime, 2 threads'].map((k) => (rates.has(k) ? median(rates.get(k) as number[]) : 0)));
console.log('\n| path | train steps/s | best compiled / this | forward (sample step) ms |');
console.log('|---|---|---|---|');
for (const name of Object.keys(paths)) {
  const s = median(rates.get(name) as number[]);
  console.log(`| ${name} | ${s.toFixed(2)} | ${(best / s).toFixed(2)}x | ${median(forward.get(name) as number[]).toFixed(1)} |`);
}
const torchBest = Math.max(...Object.keys(paths).filter((k) => k.startsWith('PyTorch')).map((k) => median(rates.get(k) as number[])));
if (Number.isFinite(torchBest)) console.log(`\nCompiled step's best setting over PyTorch's best: ${(best / torchBest).toFixed(2)}x`);
console.log(`\n1-min load per round: ${loads.join(', ')}; load at end ${load()}`);
