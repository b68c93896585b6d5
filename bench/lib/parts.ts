// Parts (a) training, (b) sampling, (c) matmul ceiling and (h) the U-Net step of `npm run bench`: each runs its interleaved rounds and returns markdown.
import { TORCH_SETTINGS, fmt, flopsPerRow, median, spread, torchKey, torchLabel, type TorchSetting } from './common';
import { onnxMatmulGflops, torchMatmulGflops, CEILING_ROWS } from './ceiling';
import { Samples, interleave, torchReference } from './rounds';
import { SAMPLE_JOBS, jobKey, jobNfe, onnxLoopPath, samplerGraphPath, tfjsWasmPath, torchSamplePath, type SamplePath } from './sample-paths';
import { onnxPath, tfjsPath, torchPath, type TrainPath } from './train-paths';
import { unetFromFlags, unetPaths } from './unet-bench';

/** Settings shared by the parts. */
export interface PartSettings {
  readonly repeats: number;
  /** Length of one training window. */
  readonly seconds: number;
  readonly batches: readonly number[];
  readonly points: number;
  readonly torch: boolean;
  readonly tmp: string;
}

/** What a part reports: markdown lines and figures other parts reuse. */
interface PartResult {
  readonly lines: string[];
  readonly figures: Map<string, number>;
}

const ratio = (x: number, ref: number) => (Number.isFinite(x) && Number.isFinite(ref) && ref > 0 ? `${(x / ref).toFixed(2)}x` : '-');
const rounds = (n: number, total: number) => (n < total ? ` [${n} rd]` : '');

/** The table row naming the reference setting of each column. */
const referenceRow = (refs: readonly ({ setting: TorchSetting } | null)[]) => `| PyTorch reference: its fastest setting | ${refs.map((r) => (r ? torchLabel(r.setting) : '-')).join(' | ')} |`;

/** (a) steps/s of workload W per path and batch size, with the ratio to PyTorch's faster setting. */
export async function trainingPart(s: PartSettings): Promise<PartResult> {
  const paths: TrainPath[] = [onnxPath(1), onnxPath(2), tfjsPath('wasm'), tfjsPath('cpu'), ...(s.torch ? TORCH_SETTINGS.map(torchPath) : [])];
  const samples = new Samples();
  const budget = 2 * s.seconds * s.repeats; // a slow path stops after this many seconds per batch size
  await interleave('training', s.repeats, samples, async () => {
    for (const batch of s.batches) {
      for (const p of paths) {
        const col = String(batch);
        if (p.slow && samples.spent(p.key, col) >= budget) continue;
        const r = await p.measure(batch, s.seconds);
        samples.add(p.key, col, r.rate);
        samples.spend(p.key, col, r.spent);
      }
    }
  });
  const figures = new Map<string, number>();
  const refs = s.batches.map((b) => torchReference(samples, String(b), 'higher'));
  const lines = [
    `| path | ${s.batches.map((b) => `batch ${b}`).join(' | ')} |`,
    `|---|${s.batches.map(() => '---').join('|')}|`,
  ];
  for (const p of paths) {
    const cells = s.batches.map((b, i) => {
      const v = samples.values(p.key, String(b));
      const m = median(v);
      figures.set(`${p.key}/${b}`, m);
      return `${spread(v)}, ${ratio(m, refs[i]?.median ?? NaN)}${rounds(v.length, s.repeats)}`;
    });
    lines.push(`| ${p.label} | ${cells.join(' | ')} |`);
  }
  if (s.torch) lines.push(referenceRow(refs));
  lines.push('', `Steps per second: median (min-max) of ${s.repeats} interleaved rounds of ${s.seconds} s windows (after warm-up steps), then the ratio of medians to PyTorch's fastest setting at that batch size${s.torch ? '' : ' (PyTorch absent: no ratios)'}. PyTorch runs in three settings, torch's threads (OMP_NUM_THREADS too) and OpenBLAS's (OPENBLAS_NUM_THREADS) set together. [n rd]: a slow path stopped after n rounds at its time budget (${budget} s per batch size).`);
  lines.push(`1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}

/** (b) seconds per sampling job and path for `points` points, with PyTorch's faster setting over the path's time. */
export async function samplingPart(s: PartSettings): Promise<PartResult> {
  const paths: SamplePath[] = [
    onnxLoopPath(1, s.points, s.tmp), onnxLoopPath(2, s.points, s.tmp), samplerGraphPath(1, s.points), samplerGraphPath(2, s.points), tfjsWasmPath(s.points),
    ...(s.torch ? TORCH_SETTINGS.map((t) => torchSamplePath(t, s.points)) : []),
  ];
  const samples = new Samples();
  const slowBudget = 60; // seconds of tfjs wasm per job before it sits out further rounds
  for (const p of paths) await p.setup();
  try {
    await interleave('sampling', s.repeats, samples, async () => {
      for (const p of paths) {
        const jobs = SAMPLE_JOBS.filter((j) => p.key !== 'tfjs-wasm' || samples.spent(p.key, jobKey(j)) < slowBudget);
        if (jobs.length === 0) continue;
        const times = await p.round(jobs);
        for (const [job, sec] of times) {
          samples.add(p.key, job, sec);
          samples.spend(p.key, job, sec);
        }
      }
    });
  } finally {
    for (const p of paths) await p.close();
  }
  const figures = new Map<string, number>();
  const refs = SAMPLE_JOBS.map((j) => torchReference(samples, jobKey(j), 'lower'));
  const names: Record<string, string> = { euler: 'Euler', heun: 'Heun', 'dpmpp-2m': 'DPM-Solver++(2M)' };
  const lines = [
    `| path | ${SAMPLE_JOBS.map((j) => `${names[j.sampler]} ${j.steps} steps (${jobNfe(j)} NFE)`).join(' | ')} |`,
    `|---|${SAMPLE_JOBS.map(() => '---').join('|')}|`,
  ];
  for (const p of paths) {
    const cells = SAMPLE_JOBS.map((j, i) => {
      const v = samples.values(p.key, jobKey(j));
      if (v.length === 0) return '-';
      const m = median(v);
      figures.set(`${p.key}/${jobKey(j)}`, m);
      return `${spread(v, ' s')}, ${ratio(refs[i]?.median ?? NaN, m)}${rounds(v.length, s.repeats)}`;
    });
    lines.push(`| ${p.label} | ${cells.join(' | ')} |`);
  }
  if (s.torch) lines.push(referenceRow(refs));
  lines.push('', `Seconds to sample ${s.points.toLocaleString('en')} points (2D): median (min-max) of ${s.repeats} interleaved rounds, then PyTorch's fastest setting's median over the path's (above 1: faster than PyTorch). The sampler graph holds Euler and Heun only. [n rd]: rounds run when fewer than ${s.repeats} (tfjs wasm sits out after ${slowBudget} s per job).`);
  lines.push(`1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}

/** (c) GFLOP/s of the 10,000 x 256 @ 256 x 256 matmul, and the sampling paths' GFLOP/s (Euler-100) as a fraction of it. */
export async function ceilingPart(s: PartSettings, sampling: Map<string, number> | null): Promise<PartResult> {
  const samples = new Samples();
  const onnxKeys = [1, 2].map((t) => ({ key: `onnx-${t}`, label: `ONNX Runtime, ${t} thread${t > 1 ? 's' : ''} (8 chained MatMuls per run, output preallocated)`, threads: t }));
  const torchSettings = s.torch ? TORCH_SETTINGS : [];
  await interleave('ceiling', s.repeats, samples, async () => {
    for (const o of onnxKeys) samples.add(o.key, 'gflops', await onnxMatmulGflops(o.threads, 1));
    for (const t of torchSettings) samples.add(torchKey(t), 'gflops', torchMatmulGflops(t, 1));
  });
  const m = (k: string) => median(samples.values(k, 'gflops'));
  const torchRef = torchReference(samples, 'gflops', 'higher');
  const figures = new Map<string, number>([['onnx', Math.max(...onnxKeys.map((o) => m(o.key)))], ['torch', torchRef?.median ?? NaN]]);
  const lines = [
    '| runtime, threads | GFLOP/s |',
    '|---|---|',
    ...onnxKeys.map((o) => `| ${o.label} | ${spread(samples.values(o.key, 'gflops'))} |`),
    ...torchSettings.map((t) => `| PyTorch (torch.mm into a preallocated output), ${torchLabel(t)} | ${spread(samples.values(torchKey(t), 'gflops'))} |`),
  ];
  if (sampling) {
    // matmul work of Euler-100 on the sampling bench's points, over the best measured time of each path
    const work = 100 * flopsPerRow() * s.points;
    const rows: [string, string, number][] = [
      ['ONNX Runtime step loop', 'onnx', Math.min(sampling.get('onnx-loop-1/euler:100') ?? Infinity, sampling.get('onnx-loop-2/euler:100') ?? Infinity)],
      ['ONNX sampler graph', 'onnx', Math.min(sampling.get('onnx-graph-1/euler:100') ?? Infinity, sampling.get('onnx-graph-2/euler:100') ?? Infinity)],
      ['tfjs wasm step loop', 'onnx', sampling.get('tfjs-wasm/euler:100') ?? Infinity],
      ...(s.torch ? [['PyTorch', 'torch', Math.min(...TORCH_SETTINGS.map((t) => sampling.get(`${torchKey(t)}/euler:100`) ?? Infinity))] as [string, string, number]] : []),
    ];
    lines.push('', '| Euler-100 sampling, best thread setting | GFLOP/s (matmul work) | fraction of its runtime\'s ceiling |', '|---|---|---|');
    for (const [label, runtime, sec] of rows) {
      const g = work / sec / 1e9;
      lines.push(`| ${label} | ${fmt(g)} | ${Number.isFinite(g) ? `${((100 * g) / (figures.get(runtime) ?? NaN)).toFixed(0)} %` : '-'} |`);
    }
    lines.push('', `The ceiling is the best median of a runtime's thread settings; tfjs is set against ONNX Runtime's ceiling (the machine's, as far as measured). Matmul work: ${(flopsPerRow() / 1e3).toFixed(1)} kFLOP per point per evaluation (bias, SiLU and concat not counted).`);
  }
  lines.push(`Rows of the product: ${CEILING_ROWS.toLocaleString('en')}; median (min-max) of ${s.repeats} rounds of 1 s windows; 1-minute load per round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}

/** The U-Net paths of part (h): the compiled step at 1 and 2 threads and PyTorch's same network in its three settings. */
const UNET_KEYS = ['ort1', 'ort2', ...TORCH_SETTINGS.map((t) => `torch${t.torch}${t.blas}`)] as const;

/** (h) The U-Net step (batch 64, 1x28x28, channels [32, 64]): train steps/s and forward ms per path, with the compiled step's best over PyTorch's best. */
export async function unetPart(s: { repeats: number; seconds: number; torch: boolean }): Promise<PartResult> {
  const options = unetFromFlags([]);
  const all = unetPaths(options, 64, s.seconds);
  const keys = UNET_KEYS.filter((k) => s.torch || !k.startsWith('torch'));
  const samples = new Samples();
  await interleave('u-net', s.repeats, samples, async () => {
    for (const k of keys) {
      const m = await all[k][1]();
      samples.add(k, 'steps', m.steps);
      samples.add(k, 'forward', m.forwardMs);
    }
  });
  const best = (prefix: string) => Math.max(...keys.filter((k) => k.startsWith(prefix)).map((k) => median(samples.values(k, 'steps'))));
  const lines = ['| path | train steps/s | forward ms (one sampling step of 64 images) |', '|---|---|---|'];
  for (const k of keys) lines.push(`| ${all[k][0]} | ${spread(samples.values(k, 'steps'))} | ${spread(samples.values(k, 'forward'))} |`);
  lines.push(
    '',
    `Compiled step's best setting over PyTorch's best: ${s.torch ? ratio(best('ort'), best('torch')) : '-'}. Batch 64 of 1x28x28, channels [32, 64], one residual block per level, group norm in 8 groups, sinusoidal time features; Adam with clipping at 1 and an EMA. PyTorch runs the same network (bench/torch_unet_step.py; its parameter count is checked equal), a fresh process per window. Median (min-max) of ${s.repeats} interleaved rounds of ${s.seconds} s windows.`,
    `1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`,
  );
  return { lines, figures: new Map() };
}
