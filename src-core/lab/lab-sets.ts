// The built-in 2-D sets as the Lab's bridge and reflow computations take them: a schema for the choice and fresh draws of it.
import { z } from 'zod';
import { generateDataset } from '../data';

/** A built-in 2-D set as the Data section names it: id, its own parameters, noise, and for the mixture its components. */
export const builtinSetSchema = z.strictObject({
  id: z.string().min(1).max(64),
  params: z.record(z.string(), z.number()).optional(),
  noise: z.number().min(0).max(10).optional(),
  mixture: z.unknown().optional(),
});

/** A built-in set as chosen. */
type BuiltinSet = z.output<typeof builtinSetSchema>;

/** `count` points of the set, [count, 2], drawn with the given seed. */
export function drawBuiltin(set: BuiltinSet, count: number, seed: number): Float32Array<ArrayBuffer> {
  return generateDataset(set.id, {
    ...(set.params ?? {}),
    count,
    seed,
    ...(set.noise !== undefined ? { noise: set.noise } : {}),
    ...(set.mixture !== undefined ? { mixture: set.mixture } : {}),
  }).data;
}
