// Imports a data file or image folder: parse and describe it (the preview), then save it into the workspace.
import { basename } from 'node:path';
import type { ImportPreview, NormalisationStats, SavedDataset } from '../../src-core/api/methods/datasets';
import { StudioError } from '../../src-core/errors';
import { parseDataFile, parseImageFolder, type ImportFormat, type ImportOptions } from '../../src-core/io/data-file';
import { datasetStats, type DatasetArray } from '../../src-core/io/dataset-array';
import type { ImageFile } from '../../src-core/io/image-set';
import { newDatasetId, writeDataset } from './dataset-folder';
import { readSource } from './read-source';

/** What to import: a path on this machine, one file's bytes, or a dropped folder's files, each with the name a person sees. */
export type ImportInput = { path: string } | { bytes: Uint8Array; fileName: string } | { files: readonly ImageFile[]; fileName: string };

/** A parsed import, ready to save, with its preview. */
export interface ParsedImport {
  readonly format: ImportFormat;
  /** The file's or folder's base name, recorded in meta.json. */
  readonly fileName: string;
  readonly array: DatasetArray;
  readonly preview: ImportPreview;
}

/** Rows (or images) a preview carries. */
export const PREVIEW_ROWS = 16;

/** The statistics meta.json records: per feature for vectors, per channel for images, and whether pixels were scaled. */
export function normalisationOf(array: DatasetArray, format: ImportFormat | 'mnist'): NormalisationStats {
  return { scaled: format === 'images' || format === 'mnist' ? 'unit-interval' : 'none', ...datasetStats(array.data, array.shape) };
}

/** Describes a parsed set: shape, statistics, the first rows and labels, the reader's notes. */
export function previewOf(array: DatasetArray, format: ImportFormat): ImportPreview {
  const rows = Math.min(PREVIEW_ROWS, array.shape[0]);
  const rowSize = array.data.length / array.shape[0];
  return {
    format,
    shape: [...array.shape],
    stats: normalisationOf(array, format),
    head: array.data.slice(0, rows * rowSize),
    headLabels: array.labels ? array.labels.slice(0, rows) : null,
    classes: array.classes ? [...array.classes] : null,
    labelColumn: array.labelColumn ?? null,
    header: array.header ? [...array.header] : null,
    notes: [...array.notes],
  };
}

/** Reads and parses what the input points at; any problem is a StudioError naming the file and the place in it. Writes nothing. */
export async function importFile(input: ImportInput, options: ImportOptions = {}): Promise<ParsedImport> {
  let parsed: DatasetArray & { format: ImportFormat };
  let fileName: string;
  if ('path' in input) {
    const source = await readSource(input.path);
    fileName = source.name;
    parsed = source.kind === 'folder' ? parseImageFolder(source.name, source.files, options) : parseDataFile(source.name, source.bytes, options);
  } else if ('bytes' in input) {
    fileName = basename(input.fileName);
    parsed = parseDataFile(fileName, input.bytes, options);
  } else {
    fileName = basename(input.fileName);
    parsed = parseImageFolder(fileName, input.files, options);
  }
  const { format, ...array } = parsed;
  return { format, fileName, array, preview: previewOf(array, format) };
}

/** Saves a parsed set as <workspace>/datasets/<id>/ (data.f32, labels.i32 when labelled, meta.json), all or nothing. */
export async function saveImport(workspace: string, parsed: Pick<ParsedImport, 'format' | 'fileName' | 'array'>, name: string, source?: SavedDataset['source']): Promise<SavedDataset> {
  const { array } = parsed;
  if (array.labels && array.labels.length !== array.shape[0]) throw new StudioError('internal', `${array.labels.length} labels for ${array.shape[0]} rows`);
  const meta: SavedDataset = {
    id: newDatasetId(),
    name,
    source: source ?? { id: parsed.format, file: parsed.fileName },
    shape: [...array.shape],
    createdAt: new Date().toISOString(),
    ...(array.labels ? { classes: array.classes ? [...array.classes] : classNames(array.labels) } : {}),
    normalisation: normalisationOf(array, source?.id === 'mnist' ? 'mnist' : parsed.format),
  };
  await writeDataset(workspace, meta, array.data, array.labels ?? null);
  return meta;
}

function classNames(labels: Int32Array): string[] {
  const count = labels.reduce((m, l) => Math.max(m, l + 1), 0);
  return Array.from({ length: count }, (_, i) => String(i));
}
