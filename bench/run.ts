// `npm run bench`: every path side by side in one run (training, sampling, matmul ceiling, memory, time to quality, couplings,
// the transport task, the U-Net step, training from the UI); a markdown table to stdout and bench/results/.
// Flags: --quick (short windows, one round, 2,000 sampling points, no quality or transport part), --skip train,sample,ceiling,memory,quality,couplings,transport,unet,ui,
// --only <same names>, --repeats N, --seconds S (training window), --wait-idle S (wait up to S seconds for an idle machine), --no-torch, --no-write.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { blasKernel, blasKernelLine } from './lib/blas-kernel';
import { BENCH_DIR, IDLE_LOAD, PYTHON, loadAverage, median, spread, torchMissing, waitForIdle } from './lib/common';
import { COUPLING_KEYS, couplingPart, transportTaskPart } from './lib/couplings';
import { machineLines, torchInfo } from './lib/machine';
import { measureMemory } from './lib/memory';
import { ceilingPart, samplingPart, trainingPart, unetPart, type PartSettings } from './lib/parts';
import { qualityPart } from './lib/quality';
import { measureUiPace } from './lib/ui-pace';
import { heavyWorkEnv } from '../src-main/process/allocator-env';

// The studio's in-process rows run under the allocator settings its workers start with; glibc reads them only at start
if (heavyWorkEnv(process.env) !== process.env) {
  const jiti = join(BENCH_DIR, '..', 'node_modules', '.bin', 'jiti');
  const again = spawnSync(jiti, [join(BENCH_DIR, 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit', env: heavyWorkEnv(process.env) });
  process.exit(again.status ?? 1);
}

const PARTS = ['train', 'sample', 'ceiling', 'memory', 'quality', 'couplings', 'transport', 'unet', 'ui'] as const;
type Part = (typeof PARTS)[number];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = (name: string): Part[] | undefined => {
  const v = option(name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--${name}: unknown part '${p}' (parts: ${PARTS.join(', ')})`);
  return parts as Part[];
};

const waitIdle = option('wait-idle');
const waitSeconds = waitIdle === undefined ? 0 : Number(waitIdle);
if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new Error(`--wait-idle takes the most seconds to wait for an idle machine (0 or more), not '${waitIdle ?? ''}'`);

const quick = flag('quick');
const only = list('only');
const skip = new Set<Part>(list('skip') ?? (quick && !only ? ['quality', 'transport'] : []));
const runs = (p: Part) => (only ? only.includes(p) : !skip.has(p));
const missing = torchMissing(flag('no-torch'));
const tmp = mkdtempSync(join(tmpdir(), 'studio-bench-'));
const settings: PartSettings = {
  repeats: Number(option('repeats') ?? (quick ? 1 : 3)),
  seconds: Number(option('seconds') ?? (quick ? 0.4 : 1.5)),
  batches: quick ? [256, 4096] : [256, 1024, 4096],
  points: quick ? 2_000 : 10_000,
  torch: missing === null,
  tmp,
};

const waited = waitIdle === undefined ? null : await waitForIdle(waitSeconds);
// PyTorch's kernel set is chosen once, on the machine as idle as the report's start
if (settings.torch) blasKernel(PYTHON);
const started = new Date();
const loadBefore = loadAverage();
const out: string[] = [];
const section = (title: string, lines: readonly string[]) => {
  out.push('', `## ${title}`, '', ...lines);
  process.stderr.write(`${title}: done\n`);
};

try {
  let sampling: Map<string, number> | null = null;
  if (runs('train')) {
    const r = await trainingPart(settings);
    section('(a) Training: workload W, steps/s', [
      'CFM on 8 gaussians, MLP 3->256->256->256->2 (SiLU), Adam 1e-3 with EMA. ONNX Runtime runs the studio\'s compiled step (one graph: forward, backward, Adam, EMA on flat buffers); tfjs the studio\'s TfjsTrainer; PyTorch bench/torch_train_step.py.',
      '',
      ...r.lines,
    ]);
  }
  if (runs('sample')) {
    const r = await samplingPart(settings);
    sampling = r.figures;
    section(`(b) Sampling ${settings.points.toLocaleString('en')} points: seconds`, [
      'Same MLP (random weights: the cost does not depend on them), velocity on the linear path, uniform grid from t = 1 to 0. Step loops run the studio\'s samplers over the Model interface; PyTorch runs the same update formulas (bench/torch_sample.py).',
      '',
      ...r.lines,
    ]);
  }
  if (runs('ceiling')) section('(c) Matmul ceiling', (await ceilingPart(settings, sampling)).lines);
  if (runs('memory')) {
    const rows = measureMemory(4096, 100_000, settings.torch, tmp);
    section('(d) Peak resident memory', [
      '| job (fresh process) | peak resident (VmHWM, MB) | right after start-up (MB) |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.label} | ${r.peakMb.toFixed(0)} | ${r.startMb === null ? '-' : r.startMb.toFixed(0)} |`),
      '',
      'Node processes start under jiti (TypeScript loaded from source); their start-up figure is after the imports, before any work.',
    ]);
  }
  if (runs('quality')) section('(e) Time to quality', (await qualityPart({ quick, repeats: settings.repeats, torch: settings.torch })).lines);
  if (runs('couplings')) {
    const r = await couplingPart({ repeats: settings.repeats, steps: quick ? 300 : 1500, budget: quick ? 3 : 6, couplings: COUPLING_KEYS });
    section('(f) Couplings: training steps/s at batch 256', r.lines);
  }
  if (runs('transport')) {
    const r = await transportTaskPart({ steps: 20_000, points: 2_000, couplings: ['independent', 'ot', 'sb-0.5'], budget: 150, torch: settings.torch });
    section('(g) The transport task: 8 gaussians to two moons, 20,000 steps', r.lines);
  }
  if (runs('unet')) section('(h) The U-Net step', (await unetPart({ repeats: settings.repeats, seconds: quick ? 2 : 4, torch: settings.torch })).lines);
  if (runs('ui')) {
    // the UI is measured as it ships: the built app (out/) of this tree
    const build = spawnSync('npm', ['run', 'build'], { cwd: join(BENCH_DIR, '..'), encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${(build.stdout + build.stderr).slice(-2000)}`);
    const pace = await measureUiPace({ build: join(BENCH_DIR, '..', 'out'), steps: quick ? 1000 : 3000, rounds: settings.repeats, browser: true, log: (line) => process.stderr.write(`ui: ${line}\n`) });
    section('(i) Training from the UI against the command line', [
      '| started from | steps/s | share of the command line\'s |',
      '|---|---|---|',
      ...pace.rows.map((r) => `| ${r.label} | ${spread(r.rates)} | ${(100 * r.share).toFixed(0)} % |`),
      '',
      `The Train form's suggested config for two moons (10,000 points), ${quick ? 1000 : 3000} steps, on the built app: \`cli.js train\`, the server's API over a WebSocket following the page's events, and the page in Chromium opening the run and drawing every event. Steps/s from each run's own metrics log; median (min-max) of ${settings.repeats} interleaved rounds. Goal: the page at >= 80 % of the command line's. Backend: ${pace.backend}.`,
      `1-minute load at the start of each round: ${pace.loads.map((l) => l.toFixed(2)).join(', ')}; medians ${pace.rows.map((r) => median(r.rates).toFixed(0)).join(' / ')}.`,
    ]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const loadAfter = loadAverage();
const busy = loadBefore[0] >= IDLE_LOAD;
const head = [
  `# Bench ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${hostname()}`,
  '',
  ...(busy
    ? [`**Not to be trusted: the machine was busy.** The 1-minute load was ${loadBefore[0].toFixed(2)} at the start, not below ${IDLE_LOAD.toFixed(1)}: other processes shared the cores, so every figure below is slowed by an amount that differs from path to path. Rerun on an idle machine (\`--wait-idle <seconds>\` waits for one).`, '']
    : []),
  ...machineLines(settings.torch ? torchInfo() : null),
  ...(settings.torch ? [blasKernelLine(blasKernel(PYTHON))] : []),
  `- load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}`,
  ...(waited === null ? [] : [`- waited ${waited.toFixed(0)} s (at most ${waitSeconds}) for the 1-minute load to fall below ${IDLE_LOAD.toFixed(1)}${busy ? '; it did not' : ''}`]),
  `- command: npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}; ${Math.round((Date.now() - started.getTime()) / 1000)} s in all`,
  ...(missing ? [`- ${missing}`] : []),
];
const text = [...head, ...out, ''].join('\n');
process.stdout.write(text);
if (!flag('no-write')) {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${started.toISOString().slice(0, 10)}-${hostname()}${quick ? '-quick' : ''}.md`);
  writeFileSync(file, text);
  process.stderr.write(`written to ${file}\n`);
}
