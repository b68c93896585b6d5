// Imports into the workspace: a job's staging folder becomes a saved set (meta.json written, then renamed into place), and in-memory sets (MNIST) are saved whole.
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetStatsRecord, ImportPreview, SavedDataset } from '../../src-core/api/methods/datasets';
import { StudioError } from '../../src-core/errors';
import type { ImportFormat } from '../../src-core/io/data-file';
import { datasetStats, numberedClasses, type DatasetArray, type DatasetStats } from '../../src-core/io/dataset-array';
import { syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { datasetDir, newDatasetId, writeDataset } from './dataset-folder';
import type { JobResult } from './import-job';

/** The statistics meta.json records: per feature for vectors, per channel for images, and whether pixels were scaled. */
function statsRecordOf(stats: DatasetStats, format: ImportFormat | 'mnist'): DatasetStatsRecord {
  return { scaled: format === 'images' || format === 'mnist' ? 'unit-interval' : 'none', ...stats };
}

/** The preview of a finished job: shape, statistics, the rows it picked and labels, the reader's notes. */
export function previewOf(job: JobResult): ImportPreview {
  return {
    format: job.format,
    shape: [...job.shape],
    stats: statsRecordOf(job.stats, job.format),
    head: job.head,
    headLabels: job.headLabels,
    classes: job.classes,
    labelColumn: job.labelColumn,
    header: job.header,
    notes: [...job.notes],
  };
}

/**
 * Makes a job's staging folder (data.f32, labels.i32) a saved set: meta.json written atomically into it, then the folder
 * renamed to datasets/<id> in one step, so a crash leaves no folder that looks like a set.
 */
export async function saveStaged(workspace: string, staging: string, job: JobResult, name: string): Promise<SavedDataset> {
  const meta: SavedDataset = {
    id: newDatasetId(),
    name,
    source: { id: job.format, file: job.fileName },
    shape: [...job.shape],
    createdAt: new Date().toISOString(),
    ...(job.labelled ? { classes: job.classes ?? [] } : {}),
    normalisation: statsRecordOf(job.stats, job.format),
  };
  const root = join(workspace, 'datasets');
  try {
    await writeFileAtomic(join(staging, 'meta.json'), JSON.stringify(meta, null, 2));
    await mkdir(root, { recursive: true });
    await rename(staging, datasetDir(workspace, meta.id));
    await syncDirectory(root);
  } catch (err) {
    throw new StudioError('internal', `data set '${name}' could not be saved: ${(err as Error).message}`);
  }
  return meta;
}

/** Saves an in-memory set (MNIST) as <workspace>/datasets/<id>/ (data.f32, labels.i32 when labelled, meta.json), all or nothing. */
export async function saveImport(workspace: string, parsed: { format: ImportFormat; fileName: string; array: DatasetArray }, name: string, source?: SavedDataset['source']): Promise<SavedDataset> {
  const { array } = parsed;
  if (array.labels && array.labels.length !== array.shape[0]) throw new StudioError('internal', `${array.labels.length} labels for ${array.shape[0]} rows`);
  const meta: SavedDataset = {
    id: newDatasetId(),
    name,
    source: source ?? { id: parsed.format, file: parsed.fileName },
    shape: [...array.shape],
    createdAt: new Date().toISOString(),
    ...(array.labels ? { classes: array.classes ? [...array.classes] : numberedClasses(array.labels.reduce((m, l) => Math.max(m, l + 1), 0)) } : {}),
    normalisation: statsRecordOf(datasetStats(array.data, array.shape), source?.id === 'mnist' ? 'mnist' : parsed.format),
  };
  await writeDataset(workspace, meta, array.data, array.labels ?? null);
  return meta;
}

/** Removes a job's staging folder, and the folder holding it once nothing is left there. */
export async function removeStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  await rmdir(dirname(staging)).catch(() => undefined); // only when empty: uploads and other jobs may be there
}
