// .npy files for the command line: read with a message naming the file, write atomically.
import { readFile } from 'node:fs/promises';
import { StudioError } from '../../src-core/errors';
import { readNpy, writeNpy, type NpyArray } from '../../src-core/io/npy';
import { writeFileAtomic } from '../workspace/atomic-write';

/** Reads and parses an .npy file; any problem names the file and the flag it came from. */
export async function readNpyFile(path: string, flag: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError('not-found', `--${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return readNpy(bytes);
  } catch (err) {
    throw new StudioError('invalid-argument', `--${flag} ${path}: ${(err as Error).message}`);
  }
}

/** Writes an array as an .npy file atomically. */
export async function writeNpyFile(path: string, array: NpyArray): Promise<void> {
  await writeFileAtomic(path, writeNpy(array));
}
