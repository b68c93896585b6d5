// Reads what a user points the importer at: one file's bytes, or every file of a folder with its relative path.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { isImageName, type ImageFile } from '../../src-core/io/image-set';

/** Largest file the importer reads (a CSV of the largest allowed set is about this size). */
export const MAX_FILE_BYTES = 1 << 30;
/** Most files a folder import reads. */
export const MAX_FOLDER_FILES = 200_000;
const MAX_DEPTH = 8;

/** A file's bytes or a folder's files, under the base name the user sees. */
export type ImportSource = { kind: 'file'; name: string; bytes: Uint8Array } | { kind: 'folder'; name: string; files: ImageFile[] };

async function readLimited(path: string, shown: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw new StudioError('invalid-argument', `${shown} is ${size} bytes; files up to ${MAX_FILE_BYTES} bytes can be imported`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

async function walk(dir: string, rel: string, depth: number, out: ImageFile[], root: string): Promise<void> {
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
      // Other files are listed empty so the reader can say how many it skipped without reading them.
      out.push({ path: relPath, bytes: isImageName(e.name) ? await readLimited(join(dir, e.name), `${root}/${relPath}`) : new Uint8Array(0) });
    }
  }
}

/** Reads a file, or a folder's files (hidden ones skipped, symbolic links not followed); a missing path is a not-found error. */
export async function readSource(path: string): Promise<ImportSource> {
  const name = basename(path) || path;
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError(code === 'ENOENT' ? 'not-found' : 'invalid-argument', `${path} cannot be read: ${code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`);
  }
  if (info.isDirectory()) {
    const files: ImageFile[] = [];
    await walk(path, '', 0, files, name);
    return { kind: 'folder', name, files };
  }
  if (!info.isFile()) throw new StudioError('invalid-argument', `${path} is neither a file nor a folder`);
  return { kind: 'file', name, bytes: await readLimited(path, name) };
}
