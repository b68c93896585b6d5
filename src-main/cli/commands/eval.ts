// `eval`: the studio's sample metrics between two .npy point sets (metrics.compare), as JSON on stdout.
import { resolve } from 'node:path';
import { StudioError } from '../../../src-core/errors';
import { npyToFloat32, type NpyArray } from '../../../src-core/io/npy';
import type { Command } from '../command';
import { optionalInteger, requiredString } from '../flags';
import { readNpyFile } from '../npy-files';
import { openStudio } from '../studio-client';

/** The file's items as a point set [n, d] (an item of any shape is flattened), named by its flag when it holds too few. */
function points(a: NpyArray, flag: string): { data: Float32Array<ArrayBuffer>; shape: [number, number] } {
  if (a.shape.length < 2 || a.shape[0] < 2) throw new StudioError('invalid-shape', `--${flag} must hold at least 2 points as [n, d], got shape [${a.shape.join(', ')}]`);
  const d = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return { data: Float32Array.from(npyToFloat32(a)), shape: [a.shape[0], d] };
}

/** The eval command. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'compare two point sets: MMD^2, energy distance, sliced and exact W2^2 (JSON)',
  usage: 'diffusion-studio eval --samples <a.npy> --reference <b.npy> [--seed s] [--projections k]',
  flags: { samples: 'string', reference: 'string', seed: 'string', projections: 'string' },
  async run(flags, io) {
    const samples = points(await readNpyFile(resolve(requiredString(flags, 'samples')), 'samples'), 'samples');
    const reference = points(await readNpyFile(resolve(requiredString(flags, 'reference')), 'reference'), 'reference');
    // said here in the flags' words; the API checks the same at its boundary
    if (samples.shape[1] !== reference.shape[1]) throw new StudioError('invalid-shape', `--samples has items of size ${samples.shape[1]}, --reference of size ${reference.shape[1]}`);
    const seed = optionalInteger(flags, 'seed');
    const projections = optionalInteger(flags, 'projections', 1);
    const studio = await openStudio();
    try {
      const r = await studio.api.call('metrics.compare', { samples, reference, ...(seed !== undefined ? { seed } : {}), ...(projections !== undefined ? { projections } : {}) });
      io.out(JSON.stringify(r));
    } finally {
      await studio.close();
    }
  },
};
