// Loads a run's training data (a built-in generator or a set saved in the workspace) and applies its normalisation.
import { generateDataset } from '../../src-core/data';
import { StudioError } from '../../src-core/errors';
import type { DataRef } from '../../src-core/training/config';
import { readDataset } from '../datasets/dataset-folder';
import { normalise, standardisation, type Normalisation } from '../../src-core/normalisation';
import type { DataRows } from '../../src-core/training/trainer';

/** Training rows in normalised units, the item shape and the normalisation that maps samples back (null: trained in data units). */
interface LoadedData {
  readonly rows: DataRows;
  readonly itemShape: readonly number[];
  readonly normalisation: Normalisation | null;
}

/** Loads a data reference; workspace is needed for saved sets. */
export async function loadData(ref: DataRef, workspace: string | null): Promise<LoadedData> {
  let raw: { data: Float32Array; shape: readonly number[]; labels?: Int32Array };
  if (ref.source === 'builtin') {
    const b = generateDataset(ref.id, ref.params);
    raw = { data: b.data, shape: b.shape };
  } else {
    if (workspace === null) throw new StudioError('invalid-argument', `data set '${ref.id}' lives in a workspace, but this run has none: pass --workspace`);
    // One reader for saved sets: it checks data.f32 and labels.i32 against meta.json's shape.
    const saved = await readDataset(workspace, ref.id);
    raw = { data: saved.data, shape: saved.meta.shape, ...(saved.labels ? { labels: saved.labels } : {}) };
  }
  const itemShape = raw.shape.slice(1);
  const d = itemShape.reduce((a, b) => a * b, 1);
  const normalisation = ref.normalise === 'standardise' ? standardisation(raw.data, d) : null;
  const data = normalisation ? normalise(raw.data, normalisation, d) : raw.data;
  return { rows: { data, rowSize: d, ...(raw.labels ? { labels: raw.labels } : {}) }, itemShape, normalisation };
}
