// The data a model stands for, drawn faintly under its samples: a run's training set (evenly thinned), or exact draws of the ideal model.
import type { StudioApi } from '../../../src-core/api/studio-api';
import { factorMixture, sampleMixture } from '../../../src-core/oracle';
import { Rng } from '../../../src-core/rng';
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
 * training set as the catalog names it (a saved set through datasets.load, a built-in one generated again from its
 * recorded request). Null for a model of other data (images, higher dimensions), where there is nothing to draw under the clouds.
 */
export async function loadModelData(api: StudioApi, choice: ModelChoice, max = DATA_POINTS): Promise<ModelData | null> {
  const shape = choice.meta?.dataShape;
  if (!shape || shape.length !== 1 || shape[0] !== 2) return null;
  if (choice.kind === 'oracle') {
    const draws = sampleMixture(factorMixture(choice.mixture), max, new Rng(20_240_601));
    return { points: Float32Array.from(draws.data), labels: null, classes: null, total: max, source: 'oracle' };
  }
  const data = choice.data;
  if (!data) throw new Error(`the studio does not know what ${choice.label} was trained on`);
  if (data.kind === 'saved') {
    const set = await api.call('datasets.load', { id: data.datasetId, maxPoints: max });
    if (set.shape.length !== 2 || set.shape[1] !== 2) return null;
    return { points: set.data, labels: set.labels, classes: set.classes, total: set.total, source: 'training' };
  }
  if (data.kind !== 'generated') return null;
  const reply = await api.call('datasets.generate', data.request);
  const thin = spread(reply.data, null, max);
  return { points: thin.points, labels: null, classes: null, total: reply.shape[0], source: 'training' };
}
