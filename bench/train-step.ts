// Workload W (CFM on 8 gaussians, MLP 3->256->256->256->2 SiLU, Adam 1e-3): steps/s of the compiled ONNX step beside PyTorch.
// Run: npx jiti bench/train-step.ts [--seconds 1.5] [--repeats 3] [--batches 256,1024,4096] [--no-torch] [--views]
import { readFileSync } from 'node:fs';
import { initParams } from '../src-core/graph';
import { Rng } from '../src-core/rng';
import type { ParamViewMode } from '../src-core/training-graph';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { ADAM, TORCH_SETTINGS, cfmBatches, median, referenceMlp, torchJson, torchKey, torchLabel, torchMissing as torchProbe, type TorchSetting } from './lib/common';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seconds = Number(opt('seconds', '1.5'));
const repeats = Number(opt('repeats', '3'));
const batchSizes = opt('batches', '256,1024,4096').split(',').map(Number);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** steps/s of one timed window of the compiled step (after 5 warm-up steps). */
async function onnxRate(n: number, threads: number, paramViews: ParamViewMode = 'slice'): Promise<number> {
  const model = referenceMlp();
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  const state = { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
  const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: ADAM, batchSize: n, state }, { threads, cuda: false, paramViews });
  const batches = cfmBatches(n, 2);
  try {
    for (let i = 0; i < 5; i++) await backend.step(batches[i % 8], 1e-3);
    const start = performance.now();
    let k = 0;
    while (performance.now() - start < seconds * 1000) await backend.step(batches[k++ % 8], 1e-3);
    return k / ((performance.now() - start) / 1000);
  } finally {
    backend.dispose();
  }
}

const torchMissing = torchProbe(args.includes('--no-torch'));
/** steps/s of one timed window of the PyTorch script in a thread setting, or undefined where PyTorch is absent. */
function torchRate(n: number, setting: TorchSetting): number | undefined {
  if (torchMissing) return undefined;
  const [row] = torchJson('torch_train_step.py', ['--batches', String(n), '--seconds', String(seconds), '--repeats', '1'], setting);
  if (typeof row?.steps_per_s !== 'number') throw new Error('torch_train_step.py printed no steps_per_s');
  return row.steps_per_s;
}

console.log(`workload W: ${seconds}s windows, median of ${repeats} rounds, each round runs every path once (interleaved, so load drifts hit all alike)`);
console.log(`load at start ${load()}`);
const rates = new Map<string, number[]>();
const note = (key: string, v: number | undefined) => {
  if (v !== undefined) rates.set(key, [...(rates.get(key) ?? []), v]);
};
const loads = new Map<number, string[]>();
for (const n of batchSizes) {
  for (let r = 0; r < repeats; r++) {
    loads.set(n, [...(loads.get(n) ?? []), load().split(' ')[0]]);
    for (const threads of [1, 2]) note(`onnx/${n}/${threads}`, await onnxRate(n, threads));
    for (const setting of TORCH_SETTINGS) note(`${torchKey(setting)}/${n}`, torchRate(n, setting));
  }
}
const med = (key: string) => (rates.has(key) ? median(rates.get(key) as number[]) : undefined);
const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
console.log(`\n| batch | ONNX 1 thr | ONNX 2 thr | ${TORCH_SETTINGS.map((t) => `PyTorch ${torchLabel(t)}`).join(' | ')} | best ONNX / best PyTorch | 1-min load per round |`);
console.log(`|---|---|---|${TORCH_SETTINGS.map(() => '---|').join('')}---|---|`);
for (const n of batchSizes) {
  const o = Math.max(med(`onnx/${n}/1`) ?? 0, med(`onnx/${n}/2`) ?? 0);
  const p = Math.max(...TORCH_SETTINGS.map((t) => med(`${torchKey(t)}/${n}`) ?? 0));
  const ratio = p > 0 ? `${(o / p).toFixed(2)}x` : '-';
  console.log(`| ${n} | ${fmt(med(`onnx/${n}/1`))} | ${fmt(med(`onnx/${n}/2`))} | ${TORCH_SETTINGS.map((t) => fmt(med(`${torchKey(t)}/${n}`))).join(' | ')} | ${ratio} | ${(loads.get(n) ?? []).join(', ')} |`);
}
console.log(torchMissing ? `\n${torchMissing}` : '\nPyTorch: torch threads and OpenBLAS threads (OPENBLAS_NUM_THREADS) set together per column');
if (args.includes('--views')) {
  const n = batchSizes[0];
  const runs: Record<ParamViewMode, number[]> = { slice: [], gather: [] };
  for (let r = 0; r < repeats; r++) for (const mode of ['slice', 'gather'] as const) runs[mode].push(await onnxRate(n, 1, mode));
  console.log(`\nparameter views at batch ${n}, 1 thread: Slice ${median(runs.slice).toFixed(1)} steps/s, Gather+Reshape ${median(runs.gather).toFixed(1)} steps/s (load ${load()})`);
}
console.log(`load at end ${load()}`);
