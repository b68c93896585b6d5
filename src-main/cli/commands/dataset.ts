// `dataset`: draws a built-in data set into an .npy file.
import { resolve } from 'node:path';
import { generateDataset } from '../../../src-core/data';
import type { Command } from '../command';
import { optionalInteger, optionalNumber, requiredInteger, requiredString } from '../flags';
import { writeNpyFile } from '../npy-files';

/** The dataset command. */
export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'draw a built-in data set into an .npy file (float32 [count, 2])',
  usage: 'diffusion-studio dataset --name <id> --count <k> [--seed s] [--noise std] --out <x.npy>',
  flags: { name: 'string', count: 'string', seed: 'string', noise: 'string', out: 'string' },
  async run(flags, io) {
    const name = requiredString(flags, 'name');
    const count = requiredInteger(flags, 'count', 1);
    const out = resolve(requiredString(flags, 'out'));
    const seed = optionalInteger(flags, 'seed');
    const noise = optionalNumber(flags, 'noise');
    const b = generateDataset(name, { count, ...(seed !== undefined ? { seed } : {}), ...(noise !== undefined ? { noise } : {}) });
    await writeNpyFile(out, { dtype: 'float32', shape: [...b.shape], data: b.data });
    io.out(JSON.stringify({ out, shape: b.shape }));
  },
};
