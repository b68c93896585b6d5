// MNIST digits: train a class-conditional U-Net for a fixed time, sample every digit with guidance, and let a classifier trained on real digits say how often it agrees with the label asked for.
// Run: npx jiti bench/mnist.ts [--minutes 5] [--channels 16,32,32] [--blocks 1] [--batch 16] [--lr 2e-3] [--objective fm|fm-lognormal|v-cosine|eps-cosine]
//   [--scaling signed|unit|standardise] [--dropout 0.1] [--per-class 100] [--guidance 1,2,4] [--sampler dpmpp-2m] [--steps 10] [--grid uniform]
//   [--classifier mlp|cnn] [--classifier-epochs 20] [--seed 0] [--threads 2] [--no-write] [--keep]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, loadAverage } from './lib/common';
import { machineLines } from './lib/machine';
import { agreement, trainClassifier, type ClassifierArch } from './lib/mnist-classifier';
import { AREA, CLASSES, gridPng, loadMnistSplit } from './lib/mnist-data';
import { OBJECTIVES, SCALINGS, exportDigits, localSampling, sampleDigits, trainUnet, type ObjectiveName, type Scaling } from './lib/mnist-unet';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const numbers = (name: string, fallback: string) => option(name, fallback).split(',').map(Number);
const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly string[]): T => {
  const v = option(name, fallback);
  if (!allowed.includes(v)) throw new Error(`--${name}: '${v}' is not one of ${allowed.join(', ')}`);
  return v as T;
};

const minutes = Number(option('minutes', '5'));
const channels = numbers('channels', '16,32,32');
const guidance = numbers('guidance', '1,2,4');
const perClass = Number(option('per-class', '100'));
const threads = Number(option('threads', '2'));
const seed = Number(option('seed', '0'));
const objective = oneOf<ObjectiveName>('objective', 'fm', Object.keys(OBJECTIVES));
const scaling = oneOf<Scaling>('scaling', 'signed', SCALINGS);
const classifierArch = oneOf<ClassifierArch>('classifier', 'mlp', ['mlp', 'cnn']);
const sampler = option('sampler', 'dpmpp-2m');
const sampleSteps = Number(option('steps', '10'));
const grid = option('grid', 'uniform');
for (const [name, v] of Object.entries({ minutes, perClass, threads, sampleSteps })) if (!(v > 0)) throw new Error(`${name} must be a positive number`);

const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}` : '-');
const load1 = () => loadAverage()[0].toFixed(2);
const started = new Date();
const loadBefore = loadAverage();
const workspace = mkdtempSync(join(tmpdir(), 'studio-mnist-'));

try {
  const split = await loadMnistSplit();
  log(`MNIST: ${split.train.n + split.heldOut.n} images (${split.perDigit.join(', ')} of digits 0..9); ${split.train.n} train, ${split.heldOut.n} held out (load ${load1()})`);

  const judgeOptions = { arch: classifierArch, epochs: Number(option('classifier-epochs', '20')), batch: 128, lr: 2e-3, shift: 2, seed: seed + 1, threads };
  const judge = await trainClassifier(split.train, judgeOptions);
  const heldOut = agreement(await judge.classify(split.heldOut.data), split.heldOut.labels);
  log(`classifier (${judge.arch}, ${judge.steps} steps, ${judge.trainSeconds.toFixed(0)} s): ${pct(heldOut.overall)} % on held-out digits (load ${load1()})`);

  const unetOptions = {
    seconds: minutes * 60, channels, resBlocks: Number(option('blocks', '1')), batch: Number(option('batch', '16')), lr: Number(option('lr', '2e-3')),
    labelDropout: Number(option('dropout', '0.1')), objective, scaling, seed, workspace,
  };
  const loadsTraining = [loadAverage()[0]];
  const unet = await trainUnet(split.train, unetOptions, log);
  loadsTraining.push(loadAverage()[0]);
  log(`U-Net: ${unet.steps} of ${unet.plannedSteps} planned steps in ${unet.seconds.toFixed(0)} s (load ${load1()})`);

  const modelPath = await exportDigits(workspace, unet.runId);
  const sampling = localSampling(threads);
  const rows: { w: number; nfe: number; seconds: number; overall: number; perClass: number[]; load: number }[] = [];
  const shown = Math.min(8, perClass);
  const gridRows: Float32Array[][] = Array.from({ length: CLASSES }, () => []);
  try {
    for (const w of guidance) {
      const s = await sampleDigits(sampling, modelPath, scaling, { perClass, guidance: w, sampler, steps: sampleSteps, grid, seed: seed + 1000 });
      const a = agreement(await judge.classify(s.images), s.labels);
      rows.push({ w, nfe: s.nfe, seconds: s.seconds, overall: a.overall, perClass: a.perClass, load: loadAverage()[0] });
      for (let c = 0; c < CLASSES; c++) gridRows[c].push(s.images.slice(c * perClass * AREA, (c * perClass + shown) * AREA));
      log(`guidance ${w}: ${pct(a.overall)} % agree (${s.nfe} NFE, ${s.seconds.toFixed(0)} s; load ${load1()})`);
    }
  } finally {
    await sampling.close();
    await judge.release();
  }

  const stamp = started.toISOString().slice(0, 16).replace('T', ' ');
  const day = started.toISOString().slice(0, 10);
  const pngName = `${day}-${hostname()}-mnist-${started.toISOString().slice(11, 16).replace(':', '')}.png`;
  const write = !flag('no-write');
  const header = `| | overall | ${Array.from({ length: CLASSES }, (_, c) => c).join(' | ')} |`;
  const rule = `|---|---|${Array.from({ length: CLASSES }, () => '---').join('|')}|`;
  const loadAfter = loadAverage();
  const text = [
    `# MNIST bench ${stamp} UTC on ${hostname()}`,
    '',
    ...machineLines(null).slice(0, 2),
    `- load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}; 1-minute load at the start and end of training ${loadsTraining.map((l) => l.toFixed(2)).join(', ')}`,
    `- command: npx jiti bench/mnist.ts${args.length ? ` ${args.join(' ')}` : ''}; ${Math.round((Date.now() - started.getTime()) / 1000)} s in all`,
    `- data: the \`mnist\` package's ${split.train.n + split.heldOut.n} digits; every fifth image of each digit held out: ${split.train.n} train, ${split.heldOut.n} held out`,
    '',
    '## Judge: held-out accuracy (%)',
    '',
    header,
    rule,
    `| ${judge.arch === 'mlp' ? 'MLP 784-256-10' : 'CNN 16-32-32 conv, 128 dense'}, ${judge.params.toLocaleString('en')} parameters, ${judgeOptions.epochs} epochs (${judge.steps} steps of ${judgeOptions.batch}, shifts up to ${judgeOptions.shift} px), ${judge.trainSeconds.toFixed(0)} s | ${pct(heldOut.overall)} | ${heldOut.perClass.map(pct).join(' | ')} |`,
    '',
    'Trained on the training images with the studio\'s compiled ONNX step (MSE of the logits to one-hot labels, Adam, cosine learning rate); its EMA weights judge.',
    '',
    '## Generator',
    '',
    '| U-Net | parameters | batch | objective | pixels | steps run (planned) | training s | steps/s | smoothed loss at the end |',
    '|---|---|---|---|---|---|---|---|---|',
    `| channels [${channels.join(', ')}], ${unetOptions.resBlocks} residual block${unetOptions.resBlocks === 1 ? '' : 's'} per level, label dropout ${unetOptions.labelDropout} | ${unet.parameters.toLocaleString('en')} | ${unetOptions.batch} | ${objective} | ${scaling} | ${unet.steps} (${unet.plannedSteps}) | ${unet.seconds.toFixed(0)} | ${(unet.steps / unet.seconds).toFixed(2)} | ${unet.finalLoss?.toFixed(4) ?? '-'} |`,
    '',
    `Budget ${minutes} min of training; the plan is 90 % of the step rate measured just before (${unet.measuredRate.toFixed(2)} steps/s) times the budget, so the cosine learning rate (${unetOptions.lr}, 5 % warm-up) ends on time; EMA decay ${unet.emaDecay.toFixed(4)}. Backend: ${unet.backend}.`,
    '',
    '## Samples: how often the judge reads the digit asked for (%)',
    '',
    `| guidance w (${sampler}, ${sampleSteps} steps, ${grid} grid) | NFE | sampling s | overall | ${Array.from({ length: CLASSES }, (_, c) => c).join(' | ')} |`,
    `|---|---|---|---|${Array.from({ length: CLASSES }, () => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.w} | ${r.nfe} | ${r.seconds.toFixed(0)} | ${pct(r.overall)} | ${r.perClass.map(pct).join(' | ')} |`),
    '',
    `${perClass} samples per digit from the EMA weights (exported ONNX model, the studio's sampling service with ONNX Runtime in-process, ${threads} threads); pixels clamped to [0, 1] before judging. NFE counts a guided evaluation (conditional and unconditional) once. 1-minute load after each row: ${rows.map((r) => r.load.toFixed(2)).join(', ')}.`,
    ...(write ? ['', `Samples (rows: digits 0..9; blocks: guidance ${guidance.join(', ')}): ${pngName}`] : []),
    '',
  ].join('\n');
  process.stdout.write(text);
  if (write) {
    const dir = join(BENCH_DIR, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, pngName), gridPng(gridRows));
    const file = join(dir, `${day}-${hostname()}-mnist.md`);
    if (existsSync(file) && readFileSync(file, 'utf8').length > 0) appendFileSync(file, `\n${text}`);
    else writeFileSync(file, text);
    log(`written to ${file} and ${join(dir, pngName)}`);
  }
} finally {
  if (flag('keep')) log(`workspace kept: ${workspace}`);
  else rmSync(workspace, { recursive: true, force: true });
}
