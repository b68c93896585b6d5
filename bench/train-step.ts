// Workload W (CFM on 8 gaussians, MLP 3->256->256->256->2 SiLU, Adam 1e-3): steps/s of the compiled ONNX step beside PyTorch.
// Run: npx jiti bench/train-step.ts [--seconds 1.5] [--repeats 3] [--batches 256,1024,4096] [--no-torch] [--views]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initParams } from '../src-core/graph';
import { Rng } from '../src-core/rng';
import type { ParamViewMode } from '../src-core/training-graph';
import { createOnnxruntimeBackend } from '../src-main/training/backends/onnxruntime-backend';
import { ADAM, cfmBatches, median, referenceMlp } from './lib/common';

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

const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_train_step.py');
const torchMissing =
  args.includes('--no-torch') ? 'PyTorch skipped (--no-torch)'
  : !existsSync('/usr/bin/python3') || spawnSync('/usr/bin/python3', ['-c', 'import torch']).status !== 0 ? 'PyTorch skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)'
  : null;
let torchBlas = '';

/** steps/s of one timed window of the PyTorch script, or undefined where PyTorch is absent. */
function torchRate(n: number, threads: number): number | undefined {
  if (torchMissing) return undefined;
  const r = spawnSync('/usr/bin/python3', [script, '--threads', String(threads), '--batches', String(n), '--seconds', String(seconds), '--repeats', '1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch failed: ${r.stderr}`);
  const [head, row] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const blas = head.blas as { config: string; libraries: string[] };
  torchBlas = `torch ${String(head.torch)}, ${blas.config}, loaded: ${blas.libraries.join(', ')}`;
  return row.steps_per_s as number;
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
    for (const threads of [1, 2]) {
      note(`onnx/${n}/${threads}`, await onnxRate(n, threads));
      note(`torch/${n}/${threads}`, torchRate(n, threads));
    }
  }
}
const med = (key: string) => (rates.has(key) ? median(rates.get(key) as number[]) : undefined);
const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
console.log('\n| batch | ONNX 1 thr | ONNX 2 thr | PyTorch 1 thr | PyTorch 2 thr | best ONNX / best PyTorch | 1-min load per round |');
console.log('|---|---|---|---|---|---|---|');
for (const n of batchSizes) {
  const o = Math.max(med(`onnx/${n}/1`) ?? 0, med(`onnx/${n}/2`) ?? 0);
  const p = Math.max(med(`torch/${n}/1`) ?? 0, med(`torch/${n}/2`) ?? 0);
  const ratio = p > 0 ? `${(o / p).toFixed(2)}x` : '-';
  console.log(`| ${n} | ${fmt(med(`onnx/${n}/1`))} | ${fmt(med(`onnx/${n}/2`))} | ${fmt(med(`torch/${n}/1`))} | ${fmt(med(`torch/${n}/2`))} | ${ratio} | ${(loads.get(n) ?? []).join(', ')} |`);
}
console.log(torchMissing ? `\n${torchMissing}` : `\nPyTorch BLAS: ${torchBlas}`);
if (args.includes('--views')) {
  const n = batchSizes[0];
  const runs: Record<ParamViewMode, number[]> = { slice: [], gather: [] };
  for (let r = 0; r < repeats; r++) for (const mode of ['slice', 'gather'] as const) runs[mode].push(await onnxRate(n, 1, mode));
  console.log(`\nparameter views at batch ${n}, 1 thread: Slice ${median(runs.slice).toFixed(1)} steps/s, Gather+Reshape ${median(runs.gather).toFixed(1)} steps/s (load ${load()})`);
}
console.log(`load at end ${load()}`);
