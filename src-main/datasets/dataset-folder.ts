// One saved data set on disk: <workspace>/datasets/<id>/ with data.f32, meta.json and, for labelled sets, labels.i32.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { savedDatasetSchema, type SavedDataset } from '../../src-core/api/contract';
import { StudioError } from '../../src-core/errors';
import { ensureDir, syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';

/** A saved set's numbers: data [shape] float32, labels one int32 per row. */
export interface DatasetContents {
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

/** Reads a saved set back, checking data.f32 and labels.i32 against the shape in meta.json. */
export async function readDataset(workspace: string, id: string): Promise<DatasetContents> {
  const dir = datasetDir(workspace, id);
  const metaBytes = await readBytes(join(dir, 'meta.json'));
  if (!metaBytes) throw new StudioError('not-found', `there is no data set '${id}'`);
  let meta: SavedDataset;
  try {
    meta = savedDatasetSchema.parse(JSON.parse(new TextDecoder().decode(metaBytes)));
  } catch (err) {
    throw new StudioError('invalid-argument', `${dir}/meta.json is not a data set's meta: ${(err as Error).message}`);
  }
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

/** Rows evenly spaced over a set (every row when they fit in maxPoints and MAX_LOAD_VALUES), with their labels. */
export function spacedRows(contents: DatasetContents, maxPoints?: number): { shape: number[]; data: Float32Array<ArrayBuffer>; labels: Int32Array<ArrayBuffer> | null } {
  const { meta, data, labels } = contents;
  const n = meta.shape[0];
  const rowSize = data.length / n;
  const m = Math.max(1, Math.min(n, maxPoints ?? n, Math.floor(MAX_LOAD_VALUES / rowSize)));
  if (m === n) return { shape: [...meta.shape], data, labels };
  const out = new Float32Array(m * rowSize);
  const outLabels = labels ? new Int32Array(m) : null;
  for (let i = 0; i < m; i++) {
    const row = Math.floor((i * n) / m);
    out.set(data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
    if (outLabels && labels) outLabels[i] = labels[row];
  }
  return { shape: [m, ...meta.shape.slice(1)], data: out, labels: outLabels };
}
