// Preview samples of a training run: a few Heun steps from the EMA weights through the engine's samplers.
import type { FloatArray } from '../../src-core/batch';
import type { Model } from '../../src-core/model';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import type { Schedule } from '../../src-core/schedules/schedule';
import type { TrainingBackend } from '../../src-core/training/backend';
import type { Parameterisation } from '../../src-core/model';
import { denormalise, type Normalisation } from '../../src-core/normalisation';
import { drawRows, type DataRows } from '../../src-core/training/trainer';

/**
 * Most images in one preview: a U-Net evaluation of one image costs about what the MLP spends on thousands of 2D
 * points, so the points-sized default would stall an image run for minutes per preview.
 */
const PREVIEW_IMAGES = 16;

/** How many items a preview of `points` draws: all of them for vectors, at most PREVIEW_IMAGES for images. */
function previewCount(points: number, itemShape: readonly number[]): number {
  return itemShape.length > 1 ? Math.min(points, PREVIEW_IMAGES) : points;
}

/** What a preview needs to know about the run. */
export interface PreviewSpec {
  readonly backend: TrainingBackend;
  readonly parameterisation: Parameterisation;
  readonly schedule: Schedule;
  readonly itemShape: readonly number[];
  /** Maps samples back to data units; null when the run trained in them. */
  readonly normalisation: Normalisation | null;
  /** Label fed to the network, when the model is class-conditional (the null class if it learned one). */
  readonly label?: number;
  /** Start points for data-to-data runs (else N(0, I) noise). */
  readonly source?: DataRows;
}

/** The backend's EMA network as the sampling Model (one time for the batch, repeated per row). */
export function emaModel(spec: PreviewSpec): Model {
  return {
    parameterisation: spec.parameterisation,
    schedule: spec.schedule,
    async predict(x, t): Promise<FloatArray> {
      const n = x.shape[0];
      const xs = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
      const ts = new Float32Array(n).fill(t);
      const y = spec.label !== undefined ? new BigInt64Array(n).fill(BigInt(spec.label)) : undefined;
      return spec.backend.predict(xs, ts, y, n, 'ema');
    },
  };
}

/** Samples previewCount(points) items with `steps` Heun steps; seeded by the step so a preview never touches the training streams. */
export async function previewSamples(spec: PreviewSpec, requested: number, steps: number, seed: number): Promise<{ points: Float32Array<ArrayBuffer>; shape: number[]; nfe: number }> {
  const points = previewCount(requested, spec.itemShape);
  const rng = new Rng(seed);
  const d = spec.itemShape.reduce((a, b) => a * b, 1);
  const noise = new Float32Array(points * d);
  if (spec.source) {
    const start = new Float64Array(points * d);
    drawRows(spec.source, rng, points, start);
    noise.set(start);
  } else rng.fillNormal(noise);
  const shape = [points, ...spec.itemShape];
  const result = await sample('heun', emaModel(spec), { data: noise, shape }, { grid: { name: 'uniform', steps } });
  const out = Float32Array.from(result.x.data);
  denormalise(out, spec.normalisation, d);
  return { points: out, shape, nfe: result.nfe };
}
