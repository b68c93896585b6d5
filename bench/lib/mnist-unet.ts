// The digit bench's generator: a class-conditional U-Net run trained in this process by the worker's own session code, and sampled by the sampling service.
import { performance } from 'node:perf_hooks';
import type { SamplingModel } from '../../src-core/api/methods/sampling';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { saveImport } from '../../src-main/datasets/import-service';
import { join } from 'node:path';
import { exportRun } from '../../src-main/export/export-run';
import { createRun, runDir } from '../../src-main/runs';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { resolveTrainingBackend } from '../../src-main/training/backend-choice';
import { setupRun } from '../../src-main/training/run-setup';
import { TrainingSession } from '../../src-main/training/training-session';
import { workerSettingsSchema, type FromWorker } from '../../src-main/training/worker-protocol';
import { AREA, CLASSES, type Digits } from './mnist-data';

/** Training objectives the bench can compare: path, parameterisation and how t is drawn. */
export const OBJECTIVES = {
  /** Conditional flow matching (rectified flow): velocity on the linear path, t uniform. */
  fm: { parameterisation: 'velocity', schedule: { name: 'linear' } },
  /** The same with t log-normal (mean 0, std 1), as rectified-flow image models draw it. */
  'fm-lognormal': { parameterisation: 'velocity', schedule: { name: 'linear' }, timeSampling: { logNormal: { mean: 0, std: 1 } } },
  /** v-prediction on the cosine VP path. */
  'v-cosine': { parameterisation: 'v', schedule: { name: 'vp-cosine' } },
  /** eps-prediction on the cosine VP path (improved DDPM). */
  'eps-cosine': { parameterisation: 'eps', schedule: { name: 'vp-cosine' } },
} as const satisfies Record<string, TrainingConfigInput['objective']>;
/** An objective's name. */
export type ObjectiveName = keyof typeof OBJECTIVES;

/**
 * How pixels reach the network: 'signed' saves them as 2x - 1 (in [-1, 1]); 'unit' as they are (in [0, 1]);
 * 'standardise' as they are, with the run's per-pixel standardisation.
 */
export const SCALINGS = ['signed', 'unit', 'standardise'] as const;
/** A pixel scaling. */
export type Scaling = (typeof SCALINGS)[number];

// The plan takes this share of the measured rate: the load of a shared machine rises as often as it falls.
const PLAN_SHARE = 0.9;

/** What the U-Net run is. */
interface UnetOptions {
  readonly seconds: number;
  readonly channels: readonly number[];
  readonly resBlocks: number;
  readonly batch: number;
  readonly lr: number;
  readonly labelDropout: number;
  readonly objective: ObjectiveName;
  readonly scaling: Scaling;
  readonly seed: number;
  readonly workspace: string;
}

/** What the training did. */
interface UnetRun {
  readonly runId: string;
  readonly parameters: number;
  /** Steps the config planned (from the measured rate) and steps run before the time was up. */
  readonly plannedSteps: number;
  readonly steps: number;
  readonly seconds: number;
  /** Steps/s of the short measurement the plan came from. */
  readonly measuredRate: number;
  readonly emaDecay: number;
  readonly finalLoss: number | null;
  readonly backend: string;
}

function config(o: UnetOptions, datasetId: string, steps: number, emaDecay: number): TrainingConfigInput {
  return {
    data: { source: 'workspace', id: datasetId, normalise: o.scaling === 'standardise' ? 'standardise' : 'none' },
    model: { family: 'unet', channels: [...o.channels], resBlocks: o.resBlocks, groups: 8, classes: CLASSES, labelDropout: o.labelDropout },
    objective: OBJECTIVES[o.objective],
    optimiser: { lr: o.lr, warmupSteps: Math.min(100, Math.floor(steps / 20)), decay: 'cosine', minLr: o.lr / 20, gradClip: 1 },
    emaDecay, steps, batchSize: o.batch, seed: o.seed, checkpointEvery: 1_000_000, backend: 'onnxruntime',
  };
}

/** An EMA whose horizon is about a tenth of the run (the EMA starts at the initial weights and has no bias correction). */
function emaDecayFor(steps: number): number {
  return Math.min(0.9999, Math.max(0.9, 1 - 10 / steps));
}

/** Saves the training images into the workspace as the scaling asks; returns the data set's id. */
async function saveDigits(train: Digits, o: UnetOptions): Promise<string> {
  const data = o.scaling === 'signed' ? Float32Array.from(train.data, (p) => 2 * p - 1) : train.data;
  const array = { data, shape: [train.n, 1, 28, 28], labels: train.labels, classes: Array.from({ length: CLASSES }, (_, i) => String(i)), notes: [] };
  return (await saveImport(o.workspace, { format: 'images', fileName: 'mnist', array }, `MNIST train (${o.scaling})`, { id: 'mnist' })).id;
}

/** Steps/s of the run's step on this machine now: five warm-up steps, then at least 3 steps and 12 s. */
async function measureRate(o: UnetOptions, datasetId: string): Promise<number> {
  const { dir } = await createRun(o.workspace, parseTrainingConfig(config(o, datasetId, 1_000_000, 0.999)), 'rate measurement');
  const setup = await setupRun(dir, resolveTrainingBackend, { backend: 'onnxruntime' });
  try {
    for (let i = 0; i < 5; i++) await setup.trainer.runStep();
    const start = performance.now();
    let k = 0;
    while (k < 3 || performance.now() - start < 12_000) {
      await setup.trainer.runStep();
      k++;
    }
    return k / ((performance.now() - start) / 1000);
  } finally {
    setup.backend.dispose();
  }
}

/** Trains for o.seconds: the config plans as many steps as the measured rate fits (so its cosine decay ends on time); a pause at the deadline stops it early if the machine slows. */
export async function trainUnet(train: Digits, o: UnetOptions, log: (line: string) => void): Promise<UnetRun> {
  const datasetId = await saveDigits(train, o);
  const measuredRate = await measureRate(o, datasetId);
  const plannedSteps = Math.max(10, Math.floor(PLAN_SHARE * measuredRate * o.seconds));
  const emaDecay = emaDecayFor(plannedSteps);
  log(`U-Net step: ${measuredRate.toFixed(2)} steps/s measured; planning ${plannedSteps} steps, EMA decay ${emaDecay.toFixed(4)}`);
  const { id, dir } = await createRun(o.workspace, parseTrainingConfig(config(o, datasetId, plannedSteps, emaDecay)), 'mnist bench');
  const setup = await setupRun(dir, resolveTrainingBackend, { backend: 'onnxruntime' });
  let lastLoss: number | null = null;
  let lastLog = 0;
  const send = (m: FromWorker) => {
    if (m.type === 'progress') {
      lastLoss = m.smoothedLoss;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`  step ${m.step}/${m.totalSteps}, loss ${m.smoothedLoss?.toFixed(4)}, ${m.stepsPerSec.toFixed(2)} steps/s`);
      }
    } else if (m.type === 'status' && m.message) log(`  ${m.status}: ${m.message}`);
  };
  const session = new TrainingSession(setup, workerSettingsSchema.parse({ previewIntervalMs: 0, progressIntervalMs: 1000 }), send);
  const start = performance.now();
  const deadline = setTimeout(() => session.command('pause-exit'), o.seconds * 1000);
  let end;
  let parameters = 0;
  try {
    end = await session.run();
    parameters = (await setup.backend.readState()).params.length;
  } finally {
    clearTimeout(deadline);
    setup.backend.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  if (end === 'failed' || end === 'cancelled') throw new Error(`the U-Net run ${end}`);
  return {
    runId: id, parameters, plannedSteps, steps: setup.trainer.step, seconds, measuredRate, emaDecay, finalLoss: lastLoss,
    backend: `${setup.backend.name} (${setup.backend.device})`,
  };
}

/** What sampling one guidance weight gave: images in [0, 1] pixel units, their requested labels, NFE and time. */
interface DigitSamples {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly nfe: number;
  readonly seconds: number;
}

/** How to sample. */
interface SampleOptions {
  readonly perClass: number;
  readonly guidance: number;
  readonly sampler: string;
  readonly steps: number;
  readonly grid: string;
  readonly seed: number;
}

/** Exports the run's latest EMA weights as a studio-format ONNX model; returns its path. */
export async function exportDigits(workspace: string, runId: string): Promise<string> {
  const path = join(workspace, `${runId}.onnx`);
  await exportRun(runDir(workspace, runId), path);
  return path;
}

/** Samples perClass images of every digit, a class per call, from an exported model (a path) or a run with the sampling service (ONNX Runtime in this process). */
export async function sampleDigits(service: SamplingService, model: string | SamplingModel, scaling: Scaling, s: SampleOptions): Promise<DigitSamples> {
  const images = new Float32Array(CLASSES * s.perClass * AREA);
  const labels = Int32Array.from({ length: CLASSES * s.perClass }, (_, i) => Math.floor(i / s.perClass));
  let nfe = 0;
  let seconds = 0;
  for (let c = 0; c < CLASSES; c++) {
    const r = await service.run({
      model: typeof model === 'string' ? { kind: 'onnx', path: model } : model, sampler: s.sampler, steps: s.steps, grid: s.grid, n: s.perClass, seed: s.seed + c,
      labels: labels.subarray(c * s.perClass, (c + 1) * s.perClass), guidance: s.guidance,
    });
    if (r.samples.length !== s.perClass * AREA) throw new Error(`sampling returned ${r.samples.length} values for ${s.perClass} images`);
    images.set(scaling === 'signed' ? r.samples.map((x) => (x + 1) / 2) : r.samples, c * s.perClass * AREA);
    nfe = r.nfe;
    seconds += r.seconds;
  }
  return { images, labels, nfe, seconds };
}

/** A sampling service over ONNX Runtime in this process. */
export function localSampling(threads: number): SamplingService {
  return new SamplingService(null, createInProcessRunner({ threads }));
}
