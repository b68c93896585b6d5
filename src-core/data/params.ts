// Validation of data-set parameters with zod: common ones (count, noise, seed) and each set's own.
import { z } from 'zod';
import { StudioError } from '../errors';
import { parseMixture } from '../oracle/mixture';
import type { DatasetDefinition, DatasetParamsInput, ResolvedParams } from './types';

/** Largest number of points one request may ask for. */
export const MAX_COUNT = 1_000_000;

function schemaFor(def: DatasetDefinition) {
  const own: Record<string, z.ZodType<number>> = {};
  for (const p of def.params) {
    const base = p.integer ? z.number().int() : z.number();
    own[p.name] = base.min(p.min).max(p.max).default(p.default);
  }
  return z
    .object({
      count: z.number().int().min(1).max(MAX_COUNT).default(1000),
      noise: z.number().min(0).default(def.defaultNoise),
      seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      ...(def.takesMixture ? { mixture: z.unknown().optional() } : {}),
      ...own,
    })
    .strict();
}

/** Checks params against a data set's schema and fills defaults; throws StudioError naming the bad param. */
export function resolveParams(def: DatasetDefinition, input: DatasetParamsInput = {}): ResolvedParams {
  const result = schemaFor(def).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue.path.length > 0 ? `param '${issue.path.map(String).join('.')}'` : 'params';
    throw new StudioError('invalid-argument', `data set '${def.id}': ${name}: ${issue.message}`);
  }
  const { count, noise, seed, mixture, ...rest } = result.data as Record<string, unknown> & { count: number; noise: number; seed: number; mixture?: unknown };
  const values: Record<string, number> = {};
  for (const p of def.params) values[p.name] = rest[p.name] as number;
  let parsed = null;
  if (mixture !== undefined) {
    try {
      parsed = parseMixture(mixture);
    } catch (err) {
      throw new StudioError('invalid-argument', `data set '${def.id}': param 'mixture': ${(err as Error).message}`);
    }
  }
  return { count, noise, seed, values, mixture: parsed };
}
