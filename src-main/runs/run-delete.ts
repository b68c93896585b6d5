// Deleting a run folder so no list ever sees half of it: one rename to a hidden name, then the removal; a sweep of what a crash left.
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { syncDirectory } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { runDir, runsRoot } from './run-store';

/** Names of folders in runs/ that are not runs: a run being removed, a run being made (createRun's staging folder). */
export const DELETING_PREFIX = '.deleting-';
export const CREATING_PREFIX = '.creating-';

/** How old a staging folder must be before a sweep takes it for a crash's leftover rather than a create in progress. */
export const STALE_STAGING_MS = 10 * 60_000;

/**
 * Removes a run folder and everything in it. The folder is first renamed to a hidden name beside it (one step, made
 * durable by the folder fsync), so from then on no list shows the run, even if the removal after it is cut short;
 * sweepRunLeftovers finishes such a removal later. A missing run is a 'not-found' error.
 */
export async function deleteRunFolder(workspace: string, id: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  const dir = runDir(workspace, id);
  const root = runsRoot(workspace);
  const trash = join(root, `${DELETING_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.rename(dir, trash);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('not-found', `no run '${id}' in ${workspace}`);
    throw err;
  }
  await syncDirectory(root, fs);
  await fs.rm(trash, { recursive: true, force: true });
}

/**
 * Removes what interrupted deletes and creates left in runs/: every '.deleting-' folder, and '.creating-' folders older
 * than STALE_STAGING_MS (a younger one may be a create under way in another studio on the same workspace). Returns the
 * names removed.
 */
export async function sweepRunLeftovers(workspace: string, options: { now?: number; fs?: FileSystem } = {}): Promise<string[]> {
  const root = runsRoot(workspace);
  const fs = options.fs ?? nodeFileSystem;
  const now = options.now ?? Date.now();
  const entries = await readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const removed: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const path = join(root, e.name);
    let leftover = e.name.startsWith(DELETING_PREFIX);
    if (!leftover && e.name.startsWith(CREATING_PREFIX)) {
      const changed = await stat(path).then((s) => s.mtimeMs, () => now);
      leftover = now - changed >= STALE_STAGING_MS;
    }
    if (!leftover) continue;
    await fs.rm(path, { recursive: true, force: true });
    removed.push(e.name);
  }
  return removed;
}
