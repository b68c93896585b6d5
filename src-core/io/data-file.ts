// One entry point for every importable data file: picks the reader by format, extension or content, and names the file in errors.
import { StudioError } from '../errors';
import { parseCsv, type CsvDelimiter } from './csv';
import type { DatasetArray } from './dataset-array';
import { imageKind } from './image-decode';
import { isImageName, parseImageSet, type ImageFile } from './image-set';
import { parseJsonArray } from './json-array';
import { parseNpyDataset } from './npy-dataset';

/** The file formats the studio imports. */
export const IMPORT_FORMATS = ['csv', 'json', 'npy', 'images'] as const;
/** One of IMPORT_FORMATS. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Options that tune the readers; each applies only to its format. */
export interface ImportOptions {
  readonly format?: ImportFormat;
  readonly delimiter?: CsvDelimiter;
  readonly header?: boolean;
  readonly labelsFromFolders?: boolean;
  /** CSV: the column of class labels, by header name or number from 1. */
  readonly labelColumn?: string | number;
}

/** The format of a single file: the one asked for, else its extension, else its first bytes. */
export function detectFormat(name: string, bytes: Uint8Array, asked?: ImportFormat): ImportFormat {
  if (asked) return asked;
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy') || (bytes[0] === 0x93 && bytes[1] === 0x4e)) return 'npy';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (isImageName(lower) || imageKind(bytes) !== null) return 'images';
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x5b || bytes[i] === 0x7b) return 'json';
  throw new StudioError('invalid-argument', `${name}: cannot tell the format from the name; use .csv, .json, .npy, .png or .jpg, or choose the format`);
}

/** Prefixes a StudioError's message with the file it came from (other errors pass unchanged). */
export function inFile(name: string, err: unknown): unknown {
  if (!(err instanceof StudioError) || err.message.startsWith(name)) return err;
  return new StudioError(err.code, `${name}: ${err.message}`);
}

/** Parses one file's bytes as a data set; every failure is a StudioError whose message starts with the file's name. */
export function parseDataFile(name: string, bytes: Uint8Array, options: ImportOptions = {}): DatasetArray & { format: ImportFormat } {
  const format = detectFormat(name, bytes, options.format);
  try {
    switch (format) {
      case 'csv':
        return {
          ...parseCsv(bytes, { delimiter: options.delimiter ?? 'auto', header: options.header ?? 'auto', ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}) }),
          format,
        };
      case 'json':
        return { ...parseJsonArray(bytes), format };
      case 'npy':
        return { ...parseNpyDataset(bytes), format };
      case 'images':
        if (imageKind(bytes) === null) throw new StudioError('invalid-argument', `${name} is not a PNG or JPEG image`);
        return { ...parseImageSet([{ path: name, bytes }], { labelsFromFolders: false }), format };
    }
  } catch (err) {
    throw inFile(name, err);
  }
}

/** Parses a folder of images (paths relative to it) as a data set; errors name the file as folder/path. */
export function parseImageFolder(folder: string, files: readonly ImageFile[], options: ImportOptions = {}): DatasetArray & { format: ImportFormat } {
  if (options.format && options.format !== 'images') throw new StudioError('invalid-argument', `${folder} is a folder; only the 'images' format reads folders`);
  // Messages name each file as folder/path, so they need no prefix here.
  return { ...parseImageSet(files, { labelsFromFolders: options.labelsFromFolders ?? 'auto', root: folder }), format: 'images' };
}
