// A folder written whole: filled at a hidden temp sibling, then renamed into place, so readers see the old folder or the whole new one.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from './atomic-write';
import { nodeFileSystem, type FileSystem } from './file-system';

/** A hidden name beside path for a folder being filled or moved aside: `.<name>.<12 hex>.tmp`. */
function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether a folder entry is a temp sibling of the named folder, as swapInFolder names them (one an interrupted swap left). */
export function isTempSiblingOf(entry: string, name: string): boolean {
  return entry.startsWith(`.${name}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(entry.slice(name.length + 1));
}

async function present(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Builds the folder at `target` with `fill` (given the temp folder to fill) and renames it into place. What is at target
 * is moved aside first, put back if the new folder cannot take its name, and removed once it has. The parent must exist.
 */
export async function swapInFolder<T>(target: string, fill: (tmp: string) => Promise<T>, fs: FileSystem = nodeFileSystem): Promise<T> {
  const tmp = tempSibling(target);
  let result: T;
  try {
    await fs.mkdir(tmp);
    result = await fill(tmp);
    await syncDirectory(tmp, fs);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  const old = (await present(target)) ? tempSibling(target) : null;
  try {
    if (old) await fs.rename(target, old);
    try {
      await fs.rename(tmp, target);
    } catch (err) {
      if (old) await fs.rename(old, target).catch(() => undefined);
      throw err;
    }
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dirname(target), fs);
  if (old) await fs.rm(old, { recursive: true, force: true });
  return result;
}
