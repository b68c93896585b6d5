// A folder written whole: filled at a hidden temp sibling, then renamed into place, so readers see the old folder or the whole new one.
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from './atomic-write';
import { nodeFileSystem, type FileSystem } from './file-system';

/** The two hidden siblings of a swap: the new folder being filled, and the old one moved aside until the new one is in. */
type SiblingKind = 'tmp' | 'old';

/** A hidden name beside path: `.<name>.<12 hex>.tmp` for a folder being filled, `.old` for one moved aside. */
function tempSibling(path: string, kind: SiblingKind): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${kind}`);
}

/** The kind of a folder entry that is a hidden sibling of the named folder as swapInFolder names them, or null. */
function siblingKind(entry: string, name: string): SiblingKind | null {
  if (!entry.startsWith(`.${name}.`)) return null;
  const m = /^\.[0-9a-f]{12}\.(tmp|old)$/.exec(entry.slice(name.length + 1));
  return m ? (m[1] as SiblingKind) : null;
}

/**
 * Finishes what an interrupted swap of `target` left: where target is missing but its old folder was moved aside (the
 * process died between the two renames), the old folder is put back; every other sibling (a half-filled new folder,
 * an old one whose replacement is in) is removed. Nothing the person had is lost.
 */
export async function recoverFolderSwap(target: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const siblings = entries.filter((e) => siblingKind(e, name) !== null);
  if (siblings.length === 0) return;
  if (!entries.includes(name)) {
    const aside = siblings.find((e) => siblingKind(e, name) === 'old');
    if (aside) {
      await fs.rename(join(parent, aside), target);
      siblings.splice(siblings.indexOf(aside), 1);
    }
  }
  for (const e of siblings) await fs.rm(join(parent, e), { recursive: true, force: true });
  await syncDirectory(parent, fs);
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
 * is moved aside first, put back if the new folder cannot take its name, and removed once it has; what an interrupted
 * swap left is settled first (recoverFolderSwap). The parent must exist.
 */
export async function swapInFolder<T>(target: string, fill: (tmp: string) => Promise<T>, fs: FileSystem = nodeFileSystem): Promise<T> {
  await recoverFolderSwap(target, fs);
  const tmp = tempSibling(target, 'tmp');
  let result: T;
  try {
    await fs.mkdir(tmp);
    result = await fill(tmp);
    await syncDirectory(tmp, fs);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  const old = (await present(target)) ? tempSibling(target, 'old') : null;
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
