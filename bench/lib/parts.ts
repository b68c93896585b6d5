// Parts (a) training, (b) sampling and (c) matmul ceiling of `npm run bench`: each runs its interleaved rounds and returns markdown.
import { fmt, flopsPerRow, median } from './common';
import { onnxMatmulGflops, torchMatmulGflops, CEILING_ROWS } from './ceiling';
import { Samples, interleave } from './rounds';
import { SAMPLE_JOBS, jobKey, jobNfe, onnxLoopPath, samplerGraphPath, tfjsWasmPath, torchSamplePath, type SamplePath } from './sample-paths';
import { onnxPath, tfjsPath, torchPath, type TrainPath } from './train-paths';

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

/** (a) steps/s of workload W per path and batch size, with the ratio to PyTorch's faster setting. */
export async function trainingPart(s: PartSettings): Promise<PartResult> {
  const paths: TrainPath[] = [onnxPath(1), onnxPath(2), tfjsPath('wasm'), tfjsPath('cpu'), ...(s.torch ? [torchPath(1), torchPath(2)] : [])];
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
  const best = (batch: number) => Math.max(median(samples.values('torch-1', String(batch))), median(samples.values('torch-2', String(batch))));
  const lines = [
    `| path | ${s.batches.map((b) => `batch ${b}`).join(' | ')} |`,
    `|---|${s.batches.map(() => '---').join('|')}|`,
  ];
  for (const p of paths) {
    const cells = s.batches.map((b) => {
      const v = samples.values(p.key, String(b));
      const m = median(v);
      figures.set(`${p.key}/${b}`, m);
      return `${fmt(m)} (${ratio(m, best(b))})${rounds(v.length, s.repeats)}`;
    });
    lines.push(`| ${p.label} | ${cells.join(' | ')} |`);
  }
  lines.push('', `Steps per second, median of ${s.repeats} interleaved rounds of ${s.seconds} s windows (after warm-up steps); in brackets the ratio to PyTorch's faster setting at that batch size${s.torch ? '' : ' (PyTorch absent: no ratios)'}. [n rd]: a slow path stopped after n rounds at its time budget (${budget} s per batch size).`);
  lines.push(`1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}

/** (b) seconds per sampling job and path for `points` points, with PyTorch's faster setting over the path's time. */
export async function samplingPart(s: PartSettings): Promise<PartResult> {
  const paths: SamplePath[] = [
    onnxLoopPath(1, s.points, s.tmp), onnxLoopPath(2, s.points, s.tmp), samplerGraphPath(1, s.points), samplerGraphPath(2, s.points), tfjsWasmPath(s.points),
    ...(s.torch ? [torchSamplePath(1, s.points), torchSamplePath(2, s.points)] : []),
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
  const best = (job: string) => Math.min(median(samples.values('torch-1', job)), median(samples.values('torch-2', job)));
  const names: Record<string, string> = { euler: 'Euler', heun: 'Heun', 'dpmpp-2m': 'DPM-Solver++(2M)' };
  const lines = [
    `| path | ${SAMPLE_JOBS.map((j) => `${names[j.sampler]} ${j.steps} steps (${jobNfe(j)} NFE)`).join(' | ')} |`,
    `|---|${SAMPLE_JOBS.map(() => '---').join('|')}|`,
  ];
  for (const p of paths) {
    const cells = SAMPLE_JOBS.map((j) => {
      const v = samples.values(p.key, jobKey(j));
      if (v.length === 0) return '-';
      const m = median(v);
      figures.set(`${p.key}/${jobKey(j)}`, m);
      return `${fmt(m)} s (${ratio(best(jobKey(j)), m)})${rounds(v.length, s.repeats)}`;
    });
    lines.push(`| ${p.label} | ${cells.join(' | ')} |`);
  }
  lines.push('', `Seconds to sample ${s.points.toLocaleString('en')} points (2D), median of ${s.repeats} interleaved rounds; in brackets PyTorch's faster setting's time over the path's (above 1: faster than PyTorch). The sampler graph holds Euler and Heun only. [n rd]: rounds run when fewer than ${s.repeats} (tfjs wasm sits out after ${slowBudget} s per job).`);
  lines.push(`1-minute load at the start of each round: ${samples.roundLoads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}

/** (c) GFLOP/s of the 10,000 x 256 @ 256 x 256 matmul, and the sampling paths' GFLOP/s (Euler-100) as a fraction of it. */
export async function ceilingPart(s: PartSettings, sampling: Map<string, number> | null): Promise<PartResult> {
  const vals = new Map<string, number[]>();
  const add = (k: string, v: number) => vals.set(k, [...(vals.get(k) ?? []), v]);
  const loads: number[] = [];
  const samples = new Samples();
  await interleave('ceiling', s.repeats, samples, async () => {
    for (const t of [1, 2]) {
      add(`onnx-${t}`, await onnxMatmulGflops(t, 1));
      if (s.torch) add(`torch-${t}`, torchMatmulGflops(t, 1));
    }
  });
  loads.push(...samples.roundLoads);
  const m = (k: string) => median(vals.get(k) ?? []);
  const figures = new Map<string, number>([['onnx', Math.max(m('onnx-1'), m('onnx-2'))], ['torch', Math.max(m('torch-1'), m('torch-2'))]]);
  const lines = [
    '| runtime | 1 thread (GFLOP/s) | 2 threads (GFLOP/s) |',
    '|---|---|---|',
    `| ONNX Runtime (8 chained MatMuls per run, output preallocated) | ${fmt(m('onnx-1'))} | ${fmt(m('onnx-2'))} |`,
    ...(s.torch ? [`| PyTorch (torch.mm) | ${fmt(m('torch-1'))} | ${fmt(m('torch-2'))} |`] : []),
  ];
  if (sampling) {
    // matmul work of Euler-100 on the sampling bench's points, over the best measured time of each path
    const work = 100 * flopsPerRow() * s.points;
    const rows: [string, string, number][] = [
      ['ONNX Runtime step loop', 'onnx', Math.min(sampling.get('onnx-loop-1/euler:100') ?? Infinity, sampling.get('onnx-loop-2/euler:100') ?? Infinity)],
      ['ONNX sampler graph', 'onnx', Math.min(sampling.get('onnx-graph-1/euler:100') ?? Infinity, sampling.get('onnx-graph-2/euler:100') ?? Infinity)],
      ['tfjs wasm step loop', 'onnx', sampling.get('tfjs-wasm/euler:100') ?? Infinity],
      ...(s.torch ? [['PyTorch', 'torch', Math.min(sampling.get('torch-1/euler:100') ?? Infinity, sampling.get('torch-2/euler:100') ?? Infinity)] as [string, string, number]] : []),
    ];
    lines.push('', '| Euler-100 sampling, best thread setting | GFLOP/s (matmul work) | fraction of its runtime\'s ceiling |', '|---|---|---|');
    for (const [label, runtime, sec] of rows) {
      const g = work / sec / 1e9;
      lines.push(`| ${label} | ${fmt(g)} | ${Number.isFinite(g) ? `${((100 * g) / (figures.get(runtime) ?? NaN)).toFixed(0)} %` : '-'} |`);
    }
    lines.push('', `The ceiling is the best of 1 and 2 threads; tfjs is set against ONNX Runtime's ceiling (the machine's, as far as measured). Matmul work: ${(flopsPerRow() / 1e3).toFixed(1)} kFLOP per point per evaluation (bias, SiLU and concat not counted).`);
  }
  lines.push(`Rows of the product: ${CEILING_ROWS.toLocaleString('en')}; median of ${s.repeats} rounds of 1 s windows; 1-minute load per round: ${loads.map((l) => l.toFixed(2)).join(', ')}.`);
  return { lines, figures };
}
