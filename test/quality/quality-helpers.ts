// Shared pieces of the quality bars: an in-process training run, samples from its EMA network, the metrics, recorded Euler paths.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, FloatArray } from '../../src-core/batch';
import { mmd2 } from '../../src-core/metrics/mmd';
import { pathStraightness } from '../../src-core/metrics/path-metrics';
import { slicedW2Squared } from '../../src-core/metrics/wasserstein';
import type { Model } from '../../src-core/model';
import { Rng } from '../../src-core/rng';
import { sample, type GridChoice } from '../../src-core/sampling';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { createRun } from '../../src-main/runs';
import { resolveTrainingBackend } from '../../src-main/training/backend-choice';
import { emaModel } from '../../src-main/training/preview';
import { setupRun, type RunSetup } from '../../src-main/training/run-setup';

/** Points compared by every distribution bar. */
export const SAMPLES = 5000;

/** A finished run whose backend still holds the weights; call dispose() when done. */
interface TrainedRun {
  readonly setup: RunSetup;
  /** Wall-clock seconds of the optimisation loop alone. */
  readonly trainSec: number;
  /** The last smoothed training loss. */
  readonly loss: number;
  /** The EMA network as a sampling model. */
  readonly model: Model;
  dispose(): Promise<void>;
}

/**
 * Trains a run in this process through the same setup and loop the worker uses (setupRun, Trainer), so a bar
 * measures the shipped objective, coupling and optimiser without the cost of a worker process.
 */
export async function trainRun(input: TrainingConfigInput): Promise<TrainedRun> {
  const workspace = await mkdtemp(join(tmpdir(), 'ds-quality-'));
  let setup: RunSetup | null = null;
  let loss = Number.NaN;
  let t0 = 0;
  try {
    const { dir } = await createRun(workspace, parseTrainingConfig(input));
    setup = await setupRun(dir, resolveTrainingBackend, { workspace });
    t0 = Date.now();
    while (!setup.trainer.done) loss = (await setup.trainer.runStep()).smoothedLoss;
  } catch (err) {
    setup?.backend.dispose();
    await rm(workspace, { recursive: true, force: true });
    throw err;
  }
  const trainSec = (Date.now() - t0) / 1000;
  const model = emaModel({
    backend: setup.backend, parameterisation: setup.parameterisation, schedule: setup.schedule,
    itemShape: setup.itemShape, normalisation: setup.normalisation,
  });
  const live = setup;
  return {
    setup: live, trainSec, loss, model,
    async dispose() {
      live.backend.dispose();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** n x 2 standard-normal start points from a fixed seed (the same for the trained model and the oracle). */
export function startNoise(seed: number, n = SAMPLES): Float32Array<ArrayBuffer> {
  return new Rng(seed).fillNormal(new Float32Array(n * 2));
}

/** Samples 2D points from a model with a sampler and grid, starting from the given noise; returns the points and NFE. */
export async function samplePoints(sampler: string, model: Model, noise: Float32Array, grid: GridChoice): Promise<{ points: Batch; nfe: number }> {
  const n = noise.length / 2;
  const r = await sample(sampler, model, { data: Float64Array.from(noise), shape: [n, 2] }, { grid });
  return { points: { data: r.x.data, shape: [n, 2] }, nfe: r.nfe };
}

/** Sliced W2 (not squared) with fixed projections, so every call of a bar projects on the same 256 directions. */
export function slicedW2(x: Batch, y: Batch): number {
  return Math.sqrt(slicedW2Squared(x, y, { rng: new Rng(5), projections: 256 }));
}

/** Biased MMD^2 (median-heuristic bandwidths), as the existing quality bar uses. */
function mmd(x: Batch, y: Batch): number {
  return mmd2(x, y, { biased: true });
}

/** Both distances of a sample to a reference sample. */
export interface Distances {
  readonly sw: number;
  readonly mmd: number;
}

/** Sliced W2 and MMD^2 of x against ref. */
export function distances(x: Batch, ref: Batch): Distances {
  return { sw: slicedW2(x, ref), mmd: mmd(x, ref) };
}

/** Rounds for the printed figures. */
export function round(v: number, digits = 4): number {
  return Number(v.toPrecision(digits));
}

/**
 * Integrates dx/dt = u(x, t) from t = 1 to 0 with `steps` Euler steps and keeps every state and the velocity
 * evaluated at it (one extra evaluation at t = 0), shape [steps + 1, n, 2], as pathStraightness reads them;
 * returns the straightness and the end points at t = 0.
 */
export async function recordEulerPath(model: Model, noise: Float32Array, steps: number): Promise<{ straightness: number; end: Float32Array }> {
  const n = noise.length / 2;
  const slice = n * 2;
  const times = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) times[k] = 1 - k / steps;
  const states = new Float32Array((steps + 1) * slice);
  const velocities = new Float32Array((steps + 1) * slice);
  const x = Float32Array.from(noise);
  for (let k = 0; k <= steps; k++) {
    const u: FloatArray = await model.predict({ data: x, shape: [n, 2] }, times[k]);
    states.set(x, k * slice);
    velocities.set(u, k * slice);
    if (k < steps) {
      const dt = times[k + 1] - times[k];
      for (let q = 0; q < slice; q++) x[q] += dt * u[q];
    }
  }
  const straightness = pathStraightness({ times, states: { data: states, shape: [steps + 1, n, 2] }, velocities: { data: velocities, shape: [steps + 1, n, 2] } });
  return { straightness, end: states.slice(steps * slice) };
}
