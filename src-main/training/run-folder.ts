// A run at a folder the caller names (the CLI's --out), written in the same form the run store's createRun writes.
import { mkdir, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { parseTrainingConfig } from '../../src-core/training/config';
import { writeNewRun } from '../runs';
import { syncDirectory } from '../workspace/atomic-write';

/** True if the folder is missing or empty. */
async function isFreshFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/** A run id from the folder name where it is a valid id, else a fresh one. */
function idFor(dir: string): string {
  const name = basename(dir).toLowerCase();
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(name) ? name : `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Creates config.json and run.json in dir (which must be missing or empty); returns the run id. */
export async function createRunAt(dir: string, config: unknown, name?: string): Promise<string> {
  const folder = resolve(dir);
  const valid = parseTrainingConfig(config);
  if (!(await isFreshFolder(folder))) throw new StudioError('invalid-argument', `${folder} is not empty: pass --resume to continue the run in it, or choose a new folder`);
  await mkdir(folder, { recursive: true });
  await syncDirectory(dirname(folder));
  const id = idFor(folder);
  await writeNewRun(folder, id, valid, name ?? basename(folder));
  return id;
}
