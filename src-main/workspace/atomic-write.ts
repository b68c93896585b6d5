// Durable file writes: temp file, write, fsync, rename, then fsync the folder, so a crash leaves old or new, never half.
import { stat } from 'node:fs/promises';
import { dirname, basename, join, resolve, sep } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { randomBytes } from 'node:crypto';
import { nodeFileSystem, type FileSystem } from './file-system';

// Where a platform cannot open or fsync a folder (Windows, some file systems), the folder sync is skipped; any other
// failure (EIO, ENOSPC, a crash) means the rename may not be durable, and the caller must hear of it.
const NO_FOLDER_SYNC = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES', 'EBADF']);

/**
 * Writes data to path atomically (readers see the old file or the whole new one). With `within`, missing folders are
 * made only below that folder, which must exist (see ensureDir).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, fs: FileSystem = nodeFileSystem, options: { within?: string } = {}): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir, fs, options.within);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir, fs);
}

/** Fsyncs a folder so renames and new entries in it survive a power loss; skipped where folders cannot be synced (Windows). */
export async function syncDirectory(dir: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    if (NO_FOLDER_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!NO_FOLDER_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Creates a folder and any missing parents, fsyncing the parent of each one created so the new entries are durable.
 * With `within`, only folders below that one are made: a missing `within` is a 'not-found' error, and one removed
 * meanwhile makes the next mkdir fail, so a writer into a run folder never brings back a run deleted under it.
 */
export async function ensureDir(dir: string, fs: FileSystem = nodeFileSystem, within?: string): Promise<void> {
  const top = within === undefined ? null : resolve(within);
  const missing: string[] = [];
  for (let d = resolve(dir); !(await isDirectory(d)); d = dirname(d)) {
    if (top !== null && !d.startsWith(top + sep)) throw new StudioError('not-found', `${top} does not exist: ${resolve(dir)} is not made`);
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await syncDirectory(dirname(d), fs);
  }
}
