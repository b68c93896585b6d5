// Workload W (CFM on 8 gaussians, MLP 3->256->256->256->2 SiLU, Adam 1e-3): steps/s of the compiled ONNX step beside PyTorch.
// Run: npx jiti bench/train-step.ts [--seconds 1.5] [--repeats 3] [--batches 256,1024,4096] [--per-run 1,16] [--no-torch] [--views]
// --per-run: steps per ONNX Runtime run (the backend's steps(), as Trainer.runSteps calls it); each count is its own row.
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
const perRuns = opt('per-run', '1,16').split(',').map(Number);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** steps/s of one timed window of the compiled step (after warm-up), perRun steps per session run. */
async function onnxRate(n: number, threads: number, paramViews: ParamViewMode = 'slice', perRun = 1): Promise<number> {
  const model = referenceMlp();
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  const state = { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() };
  const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: ADAM, batchSize: n, state }, { threads, provider: 'cpu', paramViews, stepsPerRun: perRun });
  const batches = cfmBatches(n, 2);
  let k = 0;
  const lrs = new Array<number>(perRun).fill(1e-3);
  const run = () => (perRun === 1 ? backend.step(batches[k++ % 8], 1e-3) : backend.steps(() => batches[k++ % 8], lrs));
  try {
    for (let i = 0; i < Math.max(5, perRun); i += perRun) await run();
    const start = performance.now();
    const first = k;
    while (performance.now() - start < seconds * 1000) await run();
    return (k - first) / ((performance.now() - start) / 1000);
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
    for (const perRun of perRuns) for (const threads of [1, 2]) note(`onnx/${n}/${threads}/${perRun}`, await onnxRate(n, threads, 'slice', perRun));
    for (const setting of TORCH_SETTINGS) note(`${torchKey(setting)}/${n}`, torchRate(n, setting));
  }
}
const med = (key: string) => (rates.has(key) ? median(rates.get(key) as number[]) : undefined);
const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));
const onnxKeys = perRuns.flatMap((k) => [1, 2].map((threads) => ({ key: (n: number) => `onnx/${n}/${threads}/${k}`, label: `ONNX ${threads} thr, ${k} step${k > 1 ? 's' : ''}/run` })));
console.log(`\n| batch | ${onnxKeys.map((o) => o.label).join(' | ')} | ${TORCH_SETTINGS.map((t) => `PyTorch ${torchLabel(t)}`).join(' | ')} | best ONNX / best PyTorch | 1-min load per round |`);
console.log(`|---|${onnxKeys.map(() => '---|').join('')}${TORCH_SETTINGS.map(() => '---|').join('')}---|---|`);
const spreadOf = (key: string) => {
  const v = rates.get(key);
  return v ? `${fmt(median(v))} (${fmt(Math.min(...v))}-${fmt(Math.max(...v))})` : '-';
};
for (const n of batchSizes) {
  const o = Math.max(...onnxKeys.map((k) => med(k.key(n)) ?? 0));
  const p = Math.max(...TORCH_SETTINGS.map((t) => med(`${torchKey(t)}/${n}`) ?? 0));
  const ratio = p > 0 ? `${(o / p).toFixed(2)}x` : '-';
  console.log(`| ${n} | ${onnxKeys.map((k) => spreadOf(k.key(n))).join(' | ')} | ${TORCH_SETTINGS.map((t) => spreadOf(`${torchKey(t)}/${n}`)).join(' | ')} | ${ratio} | ${(loads.get(n) ?? []).join(', ')} |`);
}
console.log(torchMissing ? `\n${torchMissing}` : '\nPyTorch: torch threads and OpenBLAS threads (OPENBLAS_NUM_THREADS) set together per column');
if (args.includes('--views')) {
  const n = batchSizes[0];
  const runs: Record<ParamViewMode, number[]> = { slice: [], gather: [] };
  for (let r = 0; r < repeats; r++) for (const mode of ['slice', 'gather'] as const) runs[mode].push(await onnxRate(n, 1, mode, perRuns[0]));
  console.log(`\nparameter views at batch ${n}, 1 thread: Slice ${median(runs.slice).toFixed(1)} steps/s, Gather+Reshape ${median(runs.gather).toFixed(1)} steps/s (load ${load()})`);
}
console.log(`load at end ${load()}`);
