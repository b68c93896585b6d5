// `dataset`: draws a built-in data set into an .npy file through the studio's API (datasets.generate).
import { resolve } from 'node:path';
import { DATASETS } from '../../../src-core/data';
import type { Command } from '../command';
import { optionalInteger, optionalNumber, requiredInteger, requiredString } from '../flags';
import { writeNpyFile } from '../npy-files';
import { openStudio } from '../studio-client';

/** Every built-in set's own parameters, each a flag under its name (as `datasets` lists them); a set refuses one it does not take. */
const OWN_PARAMS = [...new Set(DATASETS.flatMap((d) => d.params.map((p) => p.name)))];

/** The seed the command draws with when given none (the data module's default). */
const DEFAULT_SEED = 0;

/** The dataset command. */
export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'draw a built-in data set into an .npy file (float32 [count, 2])',
  usage: [
    'diffusion-studio dataset --name <id> --count <k> [--seed s] [--noise std] --out <x.npy>',
    '         [--<param> value] for the set\'s own parameters (see diffusion-studio datasets)',
  ].join('\n'),
  flags: { name: 'string', count: 'string', seed: 'string', noise: 'string', out: 'string', ...Object.fromEntries(OWN_PARAMS.map((p) => [p, 'string' as const])) },
  async run(flags, io) {
    const id = requiredString(flags, 'name');
    const count = requiredInteger(flags, 'count', 1);
    const out = resolve(requiredString(flags, 'out'));
    const seed = optionalInteger(flags, 'seed') ?? DEFAULT_SEED;
    const noise = optionalNumber(flags, 'noise');
    const params = Object.fromEntries(OWN_PARAMS.flatMap((p) => (flags[p] === undefined ? [] : [[p, optionalNumber(flags, p) as number]])));
    const studio = await openStudio();
    try {
      const b = await studio.api.call('datasets.generate', { id, count, seed, ...(noise !== undefined ? { noise } : {}), ...(Object.keys(params).length ? { params } : {}) });
      await writeNpyFile(out, { dtype: 'float32', shape: b.shape, data: b.data });
      io.out(JSON.stringify({ out, shape: b.shape }));
    } finally {
      await studio.close();
    }
  },
};
