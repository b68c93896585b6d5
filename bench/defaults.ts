// The Train form's suggested configs, measured: suggestedConfig trained as the studio trains it on the Data section's default two-moons set and on MNIST as "Add MNIST" saves it; seconds, steps/s, the two-moons distance to the data's own floor, the digit judge's agreement with guidance.
// Run: npx jiti bench/defaults.ts [--only moons|mnist] [--per-class 100] [--guidance 1,2,4] [--sampler euler] [--steps 40] [--threads 2] [--no-write]
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHub } from '../src-core/api/event-hub';
import { suggestedConfig } from '../src-core/training/defaults';
import { DatasetsService } from '../src-main/services/datasets-service';
import { SamplingService } from '../src-main/sampling/sampling-service';
import { createInProcessRunner } from '../src-main/sampling/onnx-runner';
import { BENCH_DIR, loadAverage } from './lib/common';
import { machineLines } from './lib/machine';
import { agreement, trainClassifier } from './lib/mnist-classifier';
import { AREA, CLASSES, gridPng, loadMnistSplit } from './lib/mnist-data';
import { sampleDigits } from './lib/mnist-unet';
import { BAR_POINTS, FLOOR_BAR, HELD_OUT_SEEDS, NOISE_SEEDS, moonsYardstick, ratioToFloor } from './lib/moons-floor';
import { trainAsStudio, type StudioRun } from './lib/studio-run';

/** The bars the suggestions must meet. */
const BARS = { moonsSeconds: 30, mnistSeconds: 600, mnistAgreement: 0.9, mnistGuidance: 2 } as const;
/** The Sample section's default ODE sampler (src-renderer/features/sample/sample.store.ts) and the quality tests' (test/quality/two-moons.test.ts), both 40 network evaluations. */
const MOONS_SAMPLERS = [
  { sampler: 'euler', steps: 40, who: "Sample section's default" },
  { sampler: 'heun', steps: 20, who: "quality tests'" },
] as const;
/** The sampler whose ratio is the two-moons bar. */
const MOONS_BAR_SAMPLER = 'heun';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const only = option('only', 'all');
if (!['all', 'moons', 'mnist'].includes(only)) throw new Error(`--only: '${only}' is not one of moons, mnist`);
const perClass = Number(option('per-class', '100'));
const guidance = option('guidance', '1,2,4').split(',').map(Number);
const digitSampler = option('sampler', 'euler');
const digitSteps = Number(option('steps', '40'));
const threads = Number(option('threads', '2'));
for (const [name, v] of Object.entries({ perClass, digitSteps, threads })) if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
if (!guidance.includes(BARS.mnistGuidance)) throw new Error(`--guidance must include ${BARS.mnistGuidance}, the weight the bar is set at`);

const log = (line: string) => process.stderr.write(`${line}\n`);
const load1 = () => loadAverage()[0].toFixed(2);
const pct = (x: number) => (100 * x).toFixed(1);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const started = new Date();
const loadBefore = loadAverage();
const workspace = mkdtempSync(join(tmpdir(), 'studio-defaults-'));
const datasets = new DatasetsService(workspace, new EventHub());
const sampling = new SamplingService(null, createInProcessRunner({ threads }), workspace);
const report: string[] = [];
const summary: string[] = [];
let png: Uint8Array | null = null;

/** A run's row of the training table. */
function runRow(what: string, run: StudioRun): string {
  return `| ${what} | ${run.parameters.toLocaleString('en')} | ${run.steps} | ${run.seconds.toFixed(1)} | ${run.stepsPerSec.toFixed(1)} | ${run.previews} | ${run.finalLoss?.toFixed(4) ?? '-'} | ${run.loads.map((l) => l.toFixed(2)).join(' -> ')} |`;
}
const RUN_HEAD = ['| run | parameters | steps | training s | steps/s | previews | smoothed loss at the end | 1-min load start -> end |', '|---|---|---|---|---|---|---|---|'];

async function moons(): Promise<void> {
  // The Data section's default set is what datasets.list reports as each parameter's default.
  const info = datasets.list().find((d) => d.id === 'two-moons');
  const def = (name: string) => info?.params.find((p) => p.name === name)?.default;
  const params = { count: def('count'), noise: def('noise'), seed: def('seed') };
  if (!Object.values(params).every((v) => typeof v === 'number')) throw new Error('datasets.list gives no default count, noise and seed for two-moons');
  const { count, noise, seed } = params as { count: number; noise: number; seed: number };
  const suggestion = suggestedConfig({ shape: [2], rows: count, classes: null });
  const config = { ...suggestion, data: { source: 'builtin' as const, id: 'two-moons', params: { count, noise, seed } } };
  log(`two moons (${count} points, noise ${noise}, seed ${seed}): training ${suggestion.steps} steps (load ${load1()})`);
  const run = await trainAsStudio(workspace, config, 'two moons, suggested', log);
  log(`  ${run.steps} steps in ${run.seconds.toFixed(1)} s, ${run.stepsPerSec.toFixed(0)} steps/s (load ${load1()})`);
  const yard = moonsYardstick(noise);
  const rows: string[] = [];
  let barRatio = Number.NaN;
  for (const s of MOONS_SAMPLERS) {
    const ratios: number[] = [];
    for (const noiseSeed of NOISE_SEEDS) {
      const r = await sampling.run({ model: { kind: 'run', runId: run.runId }, sampler: s.sampler, steps: s.steps, grid: 'uniform', n: BAR_POINTS, seed: noiseSeed, denoiseLast: false });
      ratios.push(ratioToFloor({ data: r.samples, shape: [BAR_POINTS, 2] }, yard));
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    if (s.sampler === MOONS_BAR_SAMPLER) barRatio = mean;
    rows.push(`| ${s.sampler}, ${s.steps} steps (${s.who}) | ${mean.toFixed(2)} | ${ratios.map((r) => r.toFixed(2)).join(', ')} |`);
    log(`  ${s.sampler}-${s.steps}: ${mean.toFixed(2)} floors (${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  }
  report.push(
    '## Two moons',
    '',
    `Data: the Data section's default two-moons set (datasets.list defaults): ${count.toLocaleString('en')} points, noise ${noise}, seed ${seed}. Config: \`${JSON.stringify(suggestion)}\`.`,
    '',
    ...RUN_HEAD,
    runRow('two moons', run),
    '',
    `| sampler | sliced W2 / floor (mean) | per start-noise draw (seeds ${NOISE_SEEDS.join(', ')}) |`,
    '|---|---|---|',
    ...rows,
    '',
    `Floor: mean sliced W2 (256 fixed directions) between three fresh ${BAR_POINTS.toLocaleString('en')}-point draws of the data (seeds ${HELD_OUT_SEEDS.join(', ')}), ${yard.floor.toFixed(4)}; a model's figure is the mean of its ${BAR_POINTS.toLocaleString('en')} samples' distances to the same three draws, over that floor, from the run's EMA weights through the sampling service (uniform grid).`,
    '',
  );
  summary.push(
    `${verdict(run.seconds < BARS.moonsSeconds)} two moons trains in under ${BARS.moonsSeconds} s: ${run.seconds.toFixed(1)} s (${run.steps} steps, ${run.stepsPerSec.toFixed(0)} steps/s, load ${run.loads.map((l) => l.toFixed(2)).join(' -> ')})`,
    `${verdict(barRatio <= FLOOR_BAR)} two moons within ${FLOOR_BAR}x of the data's floor (heun, 20 steps): ${barRatio.toFixed(2)}x`,
  );
}

async function mnist(): Promise<void> {
  const split = await loadMnistSplit();
  const judgeOptions = { arch: 'mlp' as const, epochs: 20, batch: 128, lr: 2e-3, shift: 2, seed: 1, threads };
  const judge = await trainClassifier(split.train, judgeOptions);
  try {
    const heldOut = agreement(await judge.classify(split.heldOut.data), split.heldOut.labels);
    log(`judge (${judge.arch}, ${judge.trainSeconds.toFixed(0)} s): ${pct(heldOut.overall)} % on ${split.heldOut.n} held-out digits (load ${load1()})`);
    // "Add MNIST" with every digit and the panel's largest count: datasets.mnist saves [n, 1, 28, 28] in [0, 1] with labels.
    const saved = await datasets.mnist({ count: split.train.n + split.heldOut.n });
    const rows = saved.shape[0];
    const suggestion = suggestedConfig({ shape: saved.shape.slice(1), rows, classes: saved.classes?.length ?? null });
    const config = { ...suggestion, data: { source: 'workspace' as const, id: saved.id } };
    log(`MNIST (${rows} images as saved): training ${suggestion.steps} steps (load ${load1()})`);
    const run = await trainAsStudio(workspace, config, 'MNIST, suggested', log);
    log(`  ${run.steps} steps in ${run.seconds.toFixed(0)} s, ${run.stepsPerSec.toFixed(2)} steps/s (load ${load1()})`);
    const header = `| ${Array.from({ length: CLASSES }, (_, c) => c).join(' | ')} |`;
    const rule = `${Array.from({ length: CLASSES }, () => '---').join('|')}|`;
    const sampleRows: string[] = [];
    const shown = Math.min(8, perClass);
    const gridRows: Float32Array[][] = Array.from({ length: CLASSES }, () => []);
    let barAgreement = Number.NaN;
    for (const w of guidance) {
      const s = await sampleDigits(sampling, { kind: 'run', runId: run.runId }, 'unit', { perClass, guidance: w, sampler: digitSampler, steps: digitSteps, grid: 'uniform', seed: 1000 });
      const a = agreement(await judge.classify(s.images), s.labels);
      if (w === BARS.mnistGuidance) barAgreement = a.overall;
      for (let c = 0; c < CLASSES; c++) gridRows[c].push(s.images.slice(c * perClass * AREA, (c * perClass + shown) * AREA));
      sampleRows.push(`| ${w} | ${s.nfe} | ${s.seconds.toFixed(0)} | ${pct(a.overall)} | ${a.perClass.map(pct).join(' | ')} | ${load1()} |`);
      log(`  guidance ${w}: ${pct(a.overall)} % read as asked (${s.seconds.toFixed(0)} s; load ${load1()})`);
    }
    png = gridPng(gridRows);
    report.push(
      '## MNIST',
      '',
      `Data: \`datasets.mnist\` (the Data section's "Add MNIST") with every digit, ${rows.toLocaleString('en')} images [1, 28, 28] in [0, 1] with labels 0..9. Config: \`${JSON.stringify(suggestion)}\` (data.normalise left at its default, 'none').`,
      '',
      ...RUN_HEAD,
      runRow('MNIST', run),
      '',
      `Judge: an MLP 784-256-10 trained on ${split.train.n} of the digits with the compiled step (bench/lib/mnist-classifier.ts, ${judgeOptions.epochs} epochs, shifts up to ${judgeOptions.shift} px), ${pct(heldOut.overall)} % on the ${split.heldOut.n} held out (every fifth of each digit). The generator trained on all ${rows} digits: the judge reads its samples, not those images.`,
      '',
      `| guidance w (${digitSampler}, ${digitSteps} steps, uniform grid) | NFE | sampling s | overall % | ${header.slice(2)} 1-min load |`,
      `|---|---|---|---|${rule}---|`,
      ...sampleRows,
      '',
      `${perClass} samples per digit from the run's EMA weights through the sampling service (the Sample section's path), pixels clamped to [0, 1]; how often the judge reads the digit asked for (10 % is chance).`,
      '',
    );
    summary.push(
      `${verdict(run.seconds < BARS.mnistSeconds)} MNIST trains in under ${BARS.mnistSeconds / 60} minutes: ${run.seconds.toFixed(0)} s (${run.steps} steps, ${run.stepsPerSec.toFixed(2)} steps/s, load ${run.loads.map((l) => l.toFixed(2)).join(' -> ')})`,
      `${verdict(barAgreement >= BARS.mnistAgreement)} MNIST digits read as asked at guidance ${BARS.mnistGuidance} at least ${pct(BARS.mnistAgreement)} % of the time: ${pct(barAgreement)} % (judge ${pct(heldOut.overall)} % on held-out digits)`,
    );
  } finally {
    await judge.release();
  }
}

try {
  if (only !== 'mnist') await moons();
  if (only !== 'moons') await mnist();
} finally {
  await sampling.close();
  rmSync(workspace, { recursive: true, force: true });
}

const stamp = started.toISOString().slice(0, 16).replace('T', ' ');
const day = started.toISOString().slice(0, 10);
const pngName = `${day}-${hostname()}-defaults-${started.toISOString().slice(11, 16).replace(':', '')}.png`;
const write = !flag('no-write');
const loadAfter = loadAverage();
const text = [
  `# Suggested configs ${stamp} UTC on ${hostname()}`,
  '',
  ...machineLines(null).slice(0, 2),
  `- load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}`,
  `- command: npx jiti bench/defaults.ts${args.length ? ` ${args.join(' ')}` : ''}; ${Math.round((Date.now() - started.getTime()) / 1000)} s in all`,
  '- training: `suggestedConfig` (src-core/training/defaults.ts) as is, backend `auto`, the worker\'s session code with its default settings (a preview every 5 s), in this process',
  '',
  '```',
  ...summary,
  '```',
  '',
  ...report,
  ...(write && png ? [`Samples (rows: digits 0..9; blocks: guidance ${guidance.join(', ')}): ${pngName}`, ''] : []),
].join('\n');
process.stdout.write(text);
if (write) {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  if (png) writeFileSync(join(dir, pngName), png);
  const file = join(dir, `${day}-${hostname()}-defaults.md`);
  if (existsSync(file) && readFileSync(file, 'utf8').length > 0) appendFileSync(file, `\n${text}`);
  else writeFileSync(file, text);
  log(`written to ${file}`);
}
