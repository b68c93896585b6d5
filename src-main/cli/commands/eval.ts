// `eval`: the engine's sample metrics between two .npy point sets, as JSON on stdout.
import { resolve } from 'node:path';
import { batch } from '../../../src-core/batch';
import { StudioError } from '../../../src-core/errors';
import { npyToFloat32, type NpyArray } from '../../../src-core/io/npy';
import { energyDistance, exactW2Squared, mmd2, slicedW2Squared } from '../../../src-core/metrics';
import { Rng } from '../../../src-core/rng';
import type { Command } from '../command';
import { optionalInteger, requiredString } from '../flags';
import { readNpyFile } from '../npy-files';

/** Largest sample size for the exact W2 (an n x n assignment). */
const EXACT_W2_MAX = 2000;

function points(a: NpyArray, flag: string): { data: Float64Array; shape: number[] } {
  if (a.shape.length < 2 || a.shape[0] < 2) throw new StudioError('invalid-shape', `--${flag} must hold at least 2 points as [n, d], got shape [${a.shape.join(', ')}]`);
  const d = a.shape.slice(1).reduce((x, y) => x * y, 1);
  return { data: Float64Array.from(npyToFloat32(a)), shape: [a.shape[0], d] };
}

/** The eval command. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'compare two point sets: MMD^2, energy distance, sliced and exact W2^2 (JSON)',
  usage: 'diffusion-studio eval --samples <a.npy> --reference <b.npy> [--seed s] [--projections k]',
  flags: { samples: 'string', reference: 'string', seed: 'string', projections: 'string' },
  async run(flags, io) {
    const a = points(await readNpyFile(resolve(requiredString(flags, 'samples')), 'samples'), 'samples');
    const b = points(await readNpyFile(resolve(requiredString(flags, 'reference')), 'reference'), 'reference');
    if (a.shape[1] !== b.shape[1]) throw new StudioError('invalid-shape', `--samples has items of size ${a.shape[1]}, --reference of size ${b.shape[1]}`);
    const x = batch(a.data, a.shape);
    const y = batch(b.data, b.shape);
    const rng = new Rng(optionalInteger(flags, 'seed') ?? 0);
    const projections = optionalInteger(flags, 'projections', 1) ?? 256;
    const n = a.shape[0];
    const m = b.shape[0];
    const exact = n === m && n <= EXACT_W2_MAX ? exactW2Squared(x, y) : null;
    io.out(JSON.stringify({
      n,
      m,
      dim: a.shape[1],
      mmd2: mmd2(x, y),
      energyDistance: energyDistance(x, y),
      slicedW2Squared: slicedW2Squared(x, y, { rng, projections }),
      exactW2Squared: exact,
      ...(exact === null ? { exactW2Note: `exact W2 needs equal sizes up to ${EXACT_W2_MAX}` } : {}),
    }));
  },
};
