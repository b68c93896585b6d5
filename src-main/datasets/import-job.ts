// One import, start to end: read a file in chunks (or a folder image by image), parse it as it streams into a staging folder, then describe it (statistics, preview rows) from the files written.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { CsvReader } from '../../src-core/io/csv';
import { detectFormat, inFile, parseDataFile, type ImportFormat, type ImportOptions } from '../../src-core/io/data-file';
import type { DatasetArray } from '../../src-core/io/dataset-array';
import { StatsAccumulator, type DatasetStats } from '../../src-core/io/dataset-stats';
import { readImageSet, type ImageEntry } from '../../src-core/io/image-set';
import { JsonArrayReader } from '../../src-core/io/json-array';
import { NpyDatasetReader } from '../../src-core/io/npy-dataset';
import { MAX_LOAD_VALUES } from './dataset-folder';
import { CHUNK_BYTES, MAX_IMAGE_FILE_BYTES, fileChunks, inspectSource, readWhole, type FolderFile } from './read-source';
import { DATA_FILE, LABELS_FILE, StagedSet, blocksOf, remapLabels } from './staged-set';

/** What to import: a path on this machine, an upload staged on disk, one file's bytes, or a dropped folder's files. */
export type JobSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'upload'; readonly file: string; readonly fileName: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly fileName: string }
  | { readonly kind: 'files'; readonly files: readonly { path: string; bytes: Uint8Array }[]; readonly fileName: string };

/** One import job: the source, the reader options, the staging folder it writes into, and the preview wanted. */
export interface JobRequest {
  readonly source: JobSource;
  readonly options: ImportOptions;
  /** An existing empty folder; data.f32 and (for labelled sets) labels.i32 are written there. */
  readonly dir: string;
  /** For a set of vectors: rows of the preview spread evenly over it; null: the first PREVIEW_ROWS rows. */
  readonly previewPoints: number | null;
}

/** How far a job is: reading the source (bytes, or images for a folder), then describing what it wrote. */
export interface JobProgress {
  readonly phase: 'reading' | 'describing';
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'images' | 'values';
  /** Rows read so far (tables and arrays). */
  readonly rows: number;
}

/** What a job found, with the preview rows it read back from the files it wrote. */
export interface JobResult {
  readonly format: ImportFormat;
  /** The file's or folder's base name. */
  readonly fileName: string;
  readonly shape: number[];
  readonly classes: string[] | null;
  readonly header: string[] | null;
  readonly labelColumn: number | null;
  readonly notes: string[];
  readonly stats: DatasetStats;
  readonly head: Float32Array<ArrayBuffer>;
  readonly headLabels: Int32Array<ArrayBuffer> | null;
  readonly labelled: boolean;
  /** Peak resident memory of the process that ran the job, in bytes. */
  readonly peakRssBytes: number;
}

/** Rows a preview carries when no spread is asked for. */
const PREVIEW_ROWS = 16;
/** Shortest time between two progress reports. */
const REPORT_MS = 100;

/** What a reader of a file found besides its values. */
type Parsed = Omit<DatasetArray, 'data' | 'labels'> & { readonly labelMap?: Int32Array };

function cancelled(): StudioError {
  return new StudioError('cancelled', 'the import was cancelled');
}

/** A throttled progress reporter (the last report of a phase always goes out). */
function reporter(report: (p: JobProgress) => void): (p: JobProgress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    const now = performance.now();
    if (!force && now - last < REPORT_MS) return;
    last = now;
    report(p);
  };
}

/** The file on disk a source reads (a path, or a staged upload); null for bytes in memory and dropped folders. */
function diskFile(source: JobSource): string | null {
  return source.kind === 'path' ? source.path : source.kind === 'upload' ? source.file : null;
}

/** The chunks of a file source: read from disk, or cut from bytes in memory. */
async function* chunksOf(source: JobSource, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const file = diskFile(source);
  if (file !== null) return yield* fileChunks(file, signal);
  const bytes = source.kind === 'bytes' ? source.bytes : new Uint8Array(0);
  for (let o = 0; o < bytes.length; o += CHUNK_BYTES) yield bytes.subarray(o, o + CHUNK_BYTES);
}

/** Streams a CSV, JSON or NPY file through its reader into the staged set. */
async function streamFile(format: 'csv' | 'json' | 'npy', source: JobSource, size: number, options: ImportOptions, staged: StagedSet, progress: ReturnType<typeof reporter>, signal?: AbortSignal): Promise<Parsed> {
  const reader =
    format === 'csv'
      ? new CsvReader({ delimiter: options.delimiter ?? 'auto', header: options.header ?? 'auto', ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}) }, staged)
      : format === 'json'
        ? new JsonArrayReader(staged)
        : new NpyDatasetReader(size, staged);
  let done = 0;
  for await (const chunk of chunksOf(source, signal)) {
    if (signal?.aborted) throw cancelled();
    // chunks are at most CHUNK_BYTES, so the text a reader holds at once stays small
    reader.push(chunk);
    await staged.flush();
    done += chunk.length;
    progress({ phase: 'reading', done, total: size, unit: 'bytes', rows: reader instanceof CsvReader ? reader.rows : 0 });
  }
  if (signal?.aborted) throw cancelled();
  const summary = reader.end();
  await staged.flush();
  // the phase's last report goes out whatever the throttle, with every row counted
  progress({ phase: 'reading', done, total: size, unit: 'bytes', rows: summary.shape[0] ?? 0 }, true);
  return { ...summary };
}

/** The first bytes of a file source (enough to tell its format). */
async function firstBytes(source: JobSource): Promise<Uint8Array> {
  for await (const chunk of chunksOf(source)) return chunk.subarray(0, 16);
  return new Uint8Array(0);
}

/** Reads the source into the staged set; returns what it found besides the values, with the format and name. */
async function readSource(request: JobRequest, staged: StagedSet, progress: ReturnType<typeof reporter>, signal?: AbortSignal): Promise<Parsed & { format: ImportFormat; fileName: string }> {
  const { source, options } = request;
  let folder: { name: string; entries: ImageEntry[] } | null = null;
  let file: { name: string; size: number } | null = null;
  if (source.kind === 'path') {
    const found = await inspectSource(source.path);
    if (found.kind === 'folder') {
      const load = (f: FolderFile) => () => readWhole(f.file as string, `${found.name}/${f.path}`, MAX_IMAGE_FILE_BYTES);
      folder = { name: found.name, entries: found.files.map((f) => (f.file === null ? { path: f.path, bytes: new Uint8Array(0) } : { path: f.path, load: load(f) })) };
    } else file = { name: found.name, size: found.size };
  } else if (source.kind === 'files') folder = { name: basename(source.fileName), entries: [...source.files] };
  else file = { name: basename(source.fileName), size: source.kind === 'bytes' ? source.bytes.length : (await stat(source.file)).size };

  if (folder) {
    if (options.format && options.format !== 'images') throw new StudioError('invalid-argument', `${folder.name} is a folder; only the 'images' format reads folders`);
    const array = await readImageSet(folder.entries, { labelsFromFolders: options.labelsFromFolders ?? 'auto', root: folder.name }, (done, total) => {
      if (signal?.aborted) throw cancelled();
      progress({ phase: 'reading', done, total, unit: 'images', rows: done }, done === total);
    });
    await staged.writeAll(array.data, array.labels ?? null);
    const { data: _data, labels: _labels, ...rest } = array;
    return { ...rest, format: 'images', fileName: folder.name };
  }
  const { name, size } = file as { name: string; size: number };
  const format = detectFormat(name, await firstBytes(source), options.format);
  try {
    if (format === 'images') {
      // one image: read whole (it is small), decoded as a set of one
      const file = diskFile(source);
      const bytes = file !== null ? await readWhole(file, name, MAX_IMAGE_FILE_BYTES) : source.kind === 'bytes' ? source.bytes : new Uint8Array(0);
      const { data, labels, format: _f, ...rest } = parseDataFile(name, bytes, options);
      await staged.writeAll(data, labels ?? null);
      return { ...rest, format, fileName: name };
    }
    return { ...(await streamFile(format, source, size, options, staged, progress, signal)), format, fileName: name };
  } catch (err) {
    throw inFile(name, err);
  }
}

/** Statistics of the written values (two passes over data.f32) and the preview rows with their labels. */
async function describe(dir: string, shape: readonly number[], labelled: boolean, previewPoints: number | null, progress: ReturnType<typeof reporter>, signal?: AbortSignal): Promise<Pick<JobResult, 'stats' | 'head' | 'headLabels'>> {
  const n = shape[0];
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const total = 2 * n * rowSize;
  // rows shown: every row spaced evenly over a set of vectors when asked (as many as one reply may carry), else the first ones
  const m = shape.length === 2 && previewPoints !== null ? Math.max(1, Math.min(n, previewPoints, Math.floor(MAX_LOAD_VALUES / rowSize))) : Math.min(PREVIEW_ROWS, n);
  const spread = shape.length === 2 && previewPoints !== null;
  const rowOf = (i: number) => (spread ? Math.floor((i * n) / m) : i);
  const head = new Float32Array(m * rowSize);
  const acc = new StatsAccumulator(shape);
  let done = 0;
  for (const pass of [1, 2]) {
    let next = 0; // the next preview row to pick
    for await (const { block, offset } of blocksOf(join(dir, DATA_FILE), (k) => new Float32Array(k))) {
      if (signal?.aborted) throw cancelled();
      if (pass === 1) acc.addFirst(block);
      else {
        acc.addSecond(block);
        // copy the part of each preview row that lies in this block (a row may span two blocks)
        const blockEnd = offset + block.length;
        while (next < m) {
          const rowStart = rowOf(next) * rowSize;
          const rowEnd = rowStart + rowSize;
          if (rowStart >= blockEnd) break;
          const from = Math.max(rowStart, offset);
          const to = Math.min(rowEnd, blockEnd);
          head.set(block.subarray(from - offset, to - offset), next * rowSize + (from - rowStart));
          if (rowEnd > blockEnd) break;
          next++;
        }
      }
      done += block.length;
      progress({ phase: 'describing', done, total, unit: 'values', rows: n }, done === total);
    }
    if (pass === 1) acc.endFirst();
  }
  let headLabels: Int32Array<ArrayBuffer> | null = null;
  if (labelled) {
    headLabels = new Int32Array(m);
    let next = 0;
    for await (const { block, offset } of blocksOf(join(dir, LABELS_FILE), (k) => new Int32Array(k))) {
      for (; next < m && rowOf(next) < offset + block.length; next++) headLabels[next] = block[rowOf(next) - offset];
    }
  }
  return { stats: acc.result(), head, headLabels };
}

/** Runs one import into request.dir: parse as the bytes stream in, then describe; any problem is a StudioError naming the file and the place. */
export async function runImportJob(request: JobRequest, report: (p: JobProgress) => void = () => undefined, signal?: AbortSignal): Promise<JobResult> {
  const progress = reporter(report);
  const staged = await StagedSet.create(request.dir);
  let parsed: Parsed & { format: ImportFormat; fileName: string };
  let labelled: boolean;
  try {
    parsed = await readSource(request, staged, progress, signal);
    labelled = await staged.close();
  } catch (err) {
    await staged.abandon();
    throw err;
  }
  const count = parsed.shape.reduce((a, b) => a * b, 1);
  if (staged.valueCount !== count) throw new StudioError('internal', `the reader wrote ${staged.valueCount} values for shape [${parsed.shape.join(', ')}]`);
  if (labelled && staged.labelCount !== parsed.shape[0]) throw new StudioError('internal', `the reader wrote ${staged.labelCount} labels for ${parsed.shape[0]} rows`);
  if (parsed.labelMap) await remapLabels(request.dir, parsed.labelMap);
  const described = await describe(request.dir, parsed.shape, labelled, request.previewPoints, progress, signal);
  return {
    format: parsed.format,
    fileName: parsed.fileName,
    shape: [...parsed.shape],
    classes: parsed.classes ? [...parsed.classes] : null,
    header: parsed.header ? [...parsed.header] : null,
    labelColumn: parsed.labelColumn ?? null,
    notes: [...parsed.notes],
    ...described,
    labelled,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
