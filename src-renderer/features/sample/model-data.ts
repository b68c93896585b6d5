// The data a model stands for, drawn faintly under its samples: a run's training set (evenly thinned), or exact draws of the ideal model.
import type { DatasetRequest } from '../../../src-core/api/contract';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { factorMixture, sampleMixture } from '../../../src-core/oracle';
import { Rng } from '../../../src-core/rng';
import type { DataRef } from '../../../src-core/training/config';
import type { ModelChoice } from './model-choices';

/** Most points drawn under the samples. */
export const DATA_POINTS = 5000;

/** Points a model stands for, with their class labels and names where the set has them. */
export interface ModelData {
  /** Row-major [n, 2]. */
  readonly points: Float32Array;
  readonly labels: Int32Array | null;
  readonly classes: readonly string[] | null;
  /** Rows of the whole set the points were spread over (the training set's size; the draws themselves for the ideal model). */
  readonly total: number;
  readonly source: 'training' | 'oracle';
}

/** The generate request that reproduces a run's built-in training set (its count, seed, noise, own parameters and mixture), or another seed of it. */
export function builtinRequest(data: Extract<DataRef, { source: 'builtin' }>, change: { count?: number; seed?: number } = {}): DatasetRequest {
  const params = data.params as Record<string, unknown>;
  const own: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'number' && !['count', 'noise', 'seed'].includes(k)) own[k] = v;
  return {
    id: data.id,
    count: change.count ?? (typeof params.count === 'number' ? params.count : 1000),
    seed: change.seed ?? (typeof params.seed === 'number' ? params.seed : 0),
    ...(typeof params.noise === 'number' ? { noise: params.noise } : {}),
    ...(Object.keys(own).length > 0 ? { params: own } : {}),
    // the config was checked with its mixture when the run was made; the studio checks it again on the way in
    ...(params.mixture !== undefined ? { mixture: params.mixture as DatasetRequest['mixture'] } : {}),
  };
}

/** Up to max rows of a row-major [n, 2] array, evenly spaced, with their labels. */
function spread(points: Float32Array, labels: Int32Array | null, max: number): { points: Float32Array; labels: Int32Array | null } {
  const n = points.length / 2;
  if (n <= max) return { points, labels };
  const out = new Float32Array(2 * max);
  const outLabels = labels ? new Int32Array(max) : null;
  for (let i = 0; i < max; i++) {
    const row = Math.floor((i * n) / max);
    out[2 * i] = points[2 * row];
    out[2 * i + 1] = points[2 * row + 1];
    if (outLabels && labels) outLabels[i] = labels[row];
  }
  return { points: out, labels: outLabels };
}

/**
 * The data of a model whose samples are 2-D points: exact draws of the ideal model's mixture, or the run's own
 * training set (a saved set through datasets.load, a built-in one generated again from its recorded request). Null
 * for a model of other data (images, higher dimensions), where there is nothing to draw under the clouds.
 */
export async function loadModelData(api: StudioApi, choice: ModelChoice, max = DATA_POINTS): Promise<ModelData | null> {
  if (choice.kind === 'oracle') {
    if (choice.mixture.means[0].length !== 2) return null;
    const draws = sampleMixture(factorMixture(choice.mixture), max, new Rng(20_240_601));
    return { points: Float32Array.from(draws.data), labels: null, classes: null, total: max, source: 'oracle' };
  }
  const { config } = await api.call('training.get', { runId: choice.runId });
  const data = config.data;
  if (data.source === 'workspace') {
    const set = await api.call('datasets.load', { id: data.id, maxPoints: max });
    if (set.shape.length !== 2 || set.shape[1] !== 2) return null;
    return { points: set.data, labels: set.labels, classes: set.classes, total: set.total, source: 'training' };
  }
  const reply = await api.call('datasets.generate', builtinRequest(data));
  const thin = spread(reply.data, null, max);
  return { points: thin.points, labels: null, classes: null, total: reply.shape[0], source: 'training' };
}
