// What a user points the importer at: one file (read in chunks), or a folder's files with their relative paths (each read when its turn comes).
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MAX_IMPORT_BYTES } from '../../src-core/api/methods/datasets';
import { StudioError } from '../../src-core/errors';
import { isImageName } from '../../src-core/io/image-set';

/** Largest file the importer reads (a CSV of ten million rows of six numbers is about this size). */
export const MAX_FILE_BYTES = MAX_IMPORT_BYTES;
/** Largest single image file (a 64x64 image needs a small fraction of this; more is not such an image). */
export const MAX_IMAGE_FILE_BYTES = 16 << 20;
/** Most files a folder import reads. */
const MAX_FOLDER_FILES = 200_000;
/** Bytes read at a time from a file. */
export const CHUNK_BYTES = 1 << 20;
const MAX_DEPTH = 8;

/** One file of a folder: its path relative to the folder ('/' separated) and where it is on disk (null: not an image, not read). */
export interface FolderFile {
  readonly path: string;
  readonly file: string | null;
}

/** A file (with its size) or a folder's files, under the base name the user sees. */
type ImportSource = { kind: 'file'; name: string; file: string; size: number } | { kind: 'folder'; name: string; files: FolderFile[] };

async function walk(dir: string, rel: string, depth: number, out: FolderFile[], root: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    // Hidden files (.DS_Store, ._x.png from macOS) are never data.
    if (e.name.startsWith('.')) continue;
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (depth >= MAX_DEPTH) throw new StudioError('invalid-argument', `${root}/${relPath} is nested more than ${MAX_DEPTH} folders deep`);
      await walk(join(dir, e.name), relPath, depth + 1, out, root);
    } else if (e.isFile()) {
      if (out.length >= MAX_FOLDER_FILES) throw new StudioError('invalid-argument', `${root} holds more than ${MAX_FOLDER_FILES} files`);
      // Other files are listed unread, so the reader can say how many it skipped.
      out.push({ path: relPath, file: isImageName(e.name) ? join(dir, e.name) : null });
    }
  }
}

/** Looks at a path: a file and its size, or a folder's files (hidden ones skipped, symbolic links not followed); nothing is read yet. */
export async function inspectSource(path: string): Promise<ImportSource> {
  const name = basename(path) || path;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError(code === 'ENOENT' ? 'not-found' : 'invalid-argument', `${path} cannot be read: ${code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`);
  }
  if (info.isDirectory()) {
    const files: FolderFile[] = [];
    await walk(path, '', 0, files, name);
    return { kind: 'folder', name, files };
  }
  if (!info.isFile()) throw new StudioError('invalid-argument', `${path} is neither a file nor a folder`);
  if (info.size > MAX_FILE_BYTES) throw new StudioError('invalid-argument', `${name} is ${info.size} bytes; files up to ${MAX_FILE_BYTES} bytes can be imported`);
  return { kind: 'file', name, file: path, size: info.size };
}

/** Reads one whole file of at most limit bytes; shown names it in errors. */
export async function readWhole(path: string, shown: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit) throw new StudioError('invalid-argument', `${shown} is ${size} bytes; files up to ${limit} bytes can be imported`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** A file's bytes in chunks of at most CHUNK_BYTES, in order; stops early when the signal aborts. */
export async function* fileChunks(path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      if (signal?.aborted) return;
      const buffer = new Uint8Array(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
