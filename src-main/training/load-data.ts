// Loads a run's training data (a built-in generator or a set saved in the workspace) and applies its normalisation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { generateDataset } from '../../src-core/data';
import { StudioError } from '../../src-core/errors';
import type { DataRef } from '../../src-core/training/config';
import { identityNormalisation, normalise, standardisation, type DataRows, type Normalisation } from '../../src-core/training/trainer';

/** Training rows in normalised units, the item shape and the normalisation that maps samples back. */
export interface LoadedData {
  readonly rows: DataRows;
  readonly itemShape: readonly number[];
  readonly normalisation: Normalisation;
}

const metaSchema = z.object({ shape: z.array(z.number().int().min(1)).min(2) });

async function readSaved(workspace: string, id: string): Promise<{ data: Float32Array; shape: number[]; labels?: Int32Array }> {
  const dir = join(workspace, 'datasets', id);
  let meta: z.output<typeof metaSchema>;
  try {
    meta = metaSchema.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
  } catch (err) {
    throw new StudioError('not-found', `data set '${id}' cannot be read from ${dir}: ${(err as Error).message}`);
  }
  const bytes = await readFile(join(dir, 'data.f32'));
  const size = meta.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== 4 * size) throw new StudioError('invalid-shape', `${dir}/data.f32 holds ${bytes.byteLength} bytes, its shape [${meta.shape.join(', ')}] needs ${4 * size}`);
  const data = new Float32Array(size);
  new Uint8Array(data.buffer).set(bytes);
  let labels: Int32Array | undefined;
  try {
    const lb = await readFile(join(dir, 'labels.i32'));
    labels = new Int32Array(lb.byteLength / 4);
    new Uint8Array(labels.buffer).set(lb);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { data, shape: meta.shape, ...(labels ? { labels } : {}) };
}

/** Loads a data reference; workspace is needed for saved sets. */
export async function loadData(ref: DataRef, workspace: string | null): Promise<LoadedData> {
  let raw: { data: Float32Array; shape: readonly number[]; labels?: Int32Array };
  if (ref.source === 'builtin') {
    const b = generateDataset(ref.id, ref.params);
    raw = { data: b.data, shape: b.shape };
  } else {
    if (workspace === null) throw new StudioError('invalid-argument', `data set '${ref.id}' lives in a workspace, but this run has none: pass --workspace`);
    raw = await readSaved(workspace, ref.id);
  }
  const itemShape = raw.shape.slice(1);
  const d = itemShape.reduce((a, b) => a * b, 1);
  const normalisation = ref.normalise === 'standardise' ? standardisation(raw.data, d) : identityNormalisation(d);
  const data = ref.normalise === 'standardise' ? normalise(raw.data, normalisation) : raw.data;
  return { rows: { data, rowSize: d, ...(raw.labels ? { labels: raw.labels } : {}) }, itemShape, normalisation };
}
