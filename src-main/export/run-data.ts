// A run's data as export needs it: the item shape and the standardisation the run trained under.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateDataset } from '../../src-core/data';
import { StudioError } from '../../src-core/errors';
import type { DataRef } from '../../src-core/training/config';
import { standardisation } from '../../src-core/training/trainer/normalisation';

/** The item shape and the per-dimension mean and scale to undo (null when the run trained in data units). */
export interface RunDataInfo {
  readonly itemShape: readonly number[];
  readonly normalisation: { readonly mean: readonly number[]; readonly scale: readonly number[] } | null;
}

/** Loads the rows of a data reference: built-in sets are drawn again from their seed, workspace sets read from disk. */
async function loadRows(ref: DataRef, runDir: string): Promise<{ data: Float32Array; itemShape: number[] }> {
  if (ref.source === 'builtin') {
    const b = generateDataset(ref.id, ref.params as Parameters<typeof generateDataset>[1]);
    return { data: b.data, itemShape: b.shape.slice(1) };
  }
  // <workspace>/runs/<id>/ -> <workspace>/datasets/<id>/
  const folder = join(dirname(dirname(runDir)), 'datasets', ref.id);
  try {
    const meta = JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8')) as { shape?: unknown };
    const shape = meta.shape;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.every((s) => Number.isInteger(s) && s > 0)) throw new Error('meta.json has no valid shape');
    const bytes = await readFile(join(folder, 'data.f32'));
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { data, itemShape: (shape as number[]).slice(1) };
  } catch (err) {
    throw new StudioError('not-found', `the run's data set ${folder} cannot be read: ${(err as Error).message}`);
  }
}

/** The item shape of a run's data and, for a standardised run, the statistics its samples are mapped back with. */
export async function runDataInfo(ref: DataRef, runDir: string): Promise<RunDataInfo> {
  const { data, itemShape } = await loadRows(ref, runDir);
  if (ref.normalise === 'none') return { itemShape, normalisation: null };
  const d = itemShape.reduce((a, b) => a * b, 1);
  const s = standardisation(data, d);
  return { itemShape, normalisation: { mean: s.mean, scale: s.std } };
}
