// One saved data set on disk: <workspace>/datasets/<id>/ with data.f32, meta.json and, for labelled sets, labels.i32.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { savedDatasetSchema, type SavedDataset } from '../../src-core/api/contract';
import { StudioError } from '../../src-core/errors';
import { ensureDir, syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';

/** A saved set's numbers: data [shape] float32, labels one int32 per row. */
interface DatasetContents {
  readonly meta: SavedDataset;
  readonly data: Float32Array<ArrayBuffer>;
  readonly labels: Int32Array<ArrayBuffer> | null;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A fresh data-set id: time in base 36 and three random bytes, as the other saved sets have. */
export function newDatasetId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The folder of a data set, after checking that the id cannot leave the datasets folder. */
export function datasetDir(workspace: string, id: string): string {
  if (!ID.test(id)) throw new StudioError('invalid-argument', `'${id}' is not a data-set id (letters, digits, - and _)`);
  return join(workspace, 'datasets', id);
}

const bytesOf = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes a set into a hidden staging folder, then renames it to datasets/<id> in one step: a crash or a failed write
 * leaves no folder that looks like a data set (the listing skips folders whose meta.json names another id).
 */
export async function writeDataset(workspace: string, meta: SavedDataset, data: Float32Array, labels: Int32Array | null, fs: FileSystem = nodeFileSystem): Promise<void> {
  const root = join(workspace, 'datasets');
  const final = datasetDir(workspace, meta.id);
  const staging = join(root, `.staging-${meta.id}`);
  try {
    await ensureDir(root, fs);
    await writeFileAtomic(join(staging, 'data.f32'), bytesOf(data), fs);
    if (labels) await writeFileAtomic(join(staging, 'labels.i32'), bytesOf(labels), fs);
    await writeFileAtomic(join(staging, 'meta.json'), JSON.stringify(meta, null, 2), fs);
    await fs.rename(staging, final);
    await syncDirectory(root, fs);
  } catch (err) {
    // Cleanup is best effort: the listing ignores a leftover staging folder anyway.
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw new StudioError('internal', `data set '${meta.name}' could not be saved: ${(err as Error).message}`);
  }
}

async function readBytes(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A saved set's meta.json, or null when the set is not there (deleted, or never saved here). */
export async function readDatasetMeta(workspace: string, id: string): Promise<SavedDataset | null> {
  const bytes = await readBytes(join(datasetDir(workspace, id), 'meta.json')).catch(() => null);
  if (!bytes) return null;
  try {
    const parsed = savedDatasetSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: a damaged meta.json names nothing
  }
}

/** A saved set's meta.json, checked; a missing one is not-found, a damaged one says so. */
async function readMetaStrict(dir: string, id: string): Promise<SavedDataset> {
  const metaBytes = await readBytes(join(dir, 'meta.json'));
  if (!metaBytes) throw new StudioError('not-found', `there is no data set '${id}'`);
  try {
    return savedDatasetSchema.parse(JSON.parse(new TextDecoder().decode(metaBytes)));
  } catch (err) {
    throw new StudioError('invalid-argument', `${dir}/meta.json is not a data set's meta: ${(err as Error).message}`);
  }
}

/** Reads a saved set back, checking data.f32 and labels.i32 against the shape in meta.json. */
export async function readDataset(workspace: string, id: string): Promise<DatasetContents> {
  const dir = datasetDir(workspace, id);
  const meta = await readMetaStrict(dir, id);
  const raw = await readBytes(join(dir, 'data.f32'));
  const size = meta.shape.reduce((a, b) => a * b, 1);
  if (!raw || raw.byteLength !== 4 * size) throw new StudioError('invalid-shape', `${dir}/data.f32 holds ${raw?.byteLength ?? 0} bytes; shape [${meta.shape.join(', ')}] needs ${4 * size}`);
  // Copy into fresh buffers: the bytes Node returns may sit at an offset that is not a multiple of 4.
  const data = new Float32Array(size);
  new Uint8Array(data.buffer).set(raw);
  const rawLabels = await readBytes(join(dir, 'labels.i32'));
  let labels: Int32Array<ArrayBuffer> | null = null;
  if (rawLabels) {
    if (rawLabels.byteLength !== 4 * meta.shape[0]) throw new StudioError('invalid-shape', `${dir}/labels.i32 holds ${rawLabels.byteLength} bytes; ${meta.shape[0]} rows need ${4 * meta.shape[0]}`);
    labels = new Int32Array(meta.shape[0]);
    new Uint8Array(labels.buffer).set(rawLabels);
  }
  return { meta, data, labels };
}

/** Removes a saved set: renamed aside first, so a crash midway never leaves half a set under its id. */
export async function deleteDataset(workspace: string, id: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  const dir = datasetDir(workspace, id);
  try {
    await stat(join(dir, 'meta.json'));
  } catch {
    throw new StudioError('not-found', `there is no data set '${id}'`);
  }
  const root = join(workspace, 'datasets');
  const aside = join(root, `.deleting-${id}-${randomBytes(3).toString('hex')}`);
  await fs.rename(dir, aside);
  await syncDirectory(root, fs);
  await fs.rm(aside, { recursive: true, force: true });
}

/** Most float values datasets.load sends at once (8 MB: one WebSocket frame holds it with room to spare). */
export const MAX_LOAD_VALUES = 2_000_000;

/** Bytes one block read takes when the picked rows lie close together. */
const BLOCK_BYTES = 8 << 20;

/**
 * Copies rows evenly spaced over a file of n rows of rowValues 4-byte values into out (m rows): close rows in 8 MiB
 * blocks read in order, far-apart rows one read each, so a set of any size is picked from in bounded memory.
 */
async function pickRows(path: string, n: number, rowValues: number, out: Uint8Array, m: number): Promise<void> {
  const rowBytes = 4 * rowValues;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size !== n * rowBytes) throw new StudioError('invalid-shape', `${path} holds ${size} bytes; ${n} rows of ${rowValues} values need ${n * rowBytes}`);
    const rowOf = (i: number) => Math.floor((i * n) / m);
    const sparse = (n / m) * rowBytes > BLOCK_BYTES / 64;
    const block = new Uint8Array(sparse ? rowBytes : Math.max(rowBytes, BLOCK_BYTES - (BLOCK_BYTES % rowBytes)));
    for (let i = 0; i < m; ) {
      const start = rowOf(i) * rowBytes;
      const { bytesRead } = await handle.read(block, 0, Math.min(block.length, size - start), start);
      const before = i;
      for (let off = rowOf(i) * rowBytes - start; i < m && off + rowBytes <= bytesRead; off = rowOf(i) * rowBytes - start) {
        out.set(block.subarray(off, off + rowBytes), i * rowBytes);
        i++;
      }
      if (i === before) throw new StudioError('internal', `${path} ended before row ${rowOf(i)}`);
    }
  } finally {
    await handle.close();
  }
}

/** Rows evenly spaced over a saved set (every row when they fit in maxPoints and MAX_LOAD_VALUES), with its meta and labels, read without loading the whole set. */
export async function readSpacedRows(workspace: string, id: string, maxPoints?: number): Promise<{ meta: SavedDataset; shape: number[]; data: Float32Array<ArrayBuffer>; labels: Int32Array<ArrayBuffer> | null }> {
  const dir = datasetDir(workspace, id);
  const meta = await readMetaStrict(dir, id);
  const n = meta.shape[0];
  const rowValues = meta.shape.slice(1).reduce((a, b) => a * b, 1);
  const m = Math.max(1, Math.min(n, maxPoints ?? n, Math.floor(MAX_LOAD_VALUES / rowValues)));
  const data = new Float32Array(m * rowValues);
  await pickRows(join(dir, 'data.f32'), n, rowValues, new Uint8Array(data.buffer), m).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('invalid-shape', `${dir}/data.f32 is missing`);
    throw err;
  });
  let labels: Int32Array<ArrayBuffer> | null = new Int32Array(m);
  try {
    await pickRows(join(dir, 'labels.i32'), n, 1, new Uint8Array(labels.buffer), m);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    labels = null;
  }
  return { meta, shape: [m, ...meta.shape.slice(1)], data, labels };
}
