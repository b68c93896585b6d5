// JSON files of the run store, read through a zod schema with errors that name the file.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { parseOrThrow } from '../../src-core/validation';

/** Reads a JSON file and validates it; throws not-found if it is missing and invalid-argument naming the file if it is damaged. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('not-found', `${path} does not exist`);
    throw new StudioError('invalid-argument', `${path} cannot be read: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StudioError('invalid-argument', `${path} is damaged: not JSON (${(err as Error).message})`);
  }
  return parseOrThrow(schema, raw, `${path} is damaged`);
}
