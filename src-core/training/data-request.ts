// The datasets.generate request that draws a run's built-in training set again, or held-out draws of the same distribution.
import type { DatasetRequest } from '../api/contract';
import type { DataRef } from './config';

/** Added to the training seed for held-out draws: another seed than training's, from the same distribution. */
const HELD_OUT_SEED_OFFSET = 1_000_003;

/** The generate request that reproduces a built-in set of a config (its count, seed, noise, own parameters and mixture), or another seed of it. */
export function builtinRequest(data: Extract<DataRef, { source: 'builtin' }>, change: { count?: number; seed?: number } = {}): DatasetRequest {
  const params = data.params as Record<string, unknown>;
  const own: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'number' && !['count', 'noise', 'seed'].includes(k)) own[k] = v;
  return {
    id: data.id,
    count: change.count ?? (typeof params.count === 'number' ? params.count : 1000),
    seed: change.seed ?? (typeof params.seed === 'number' ? params.seed : 0),
    ...(typeof params.noise === 'number' ? { noise: params.noise } : {}),
    ...(Object.keys(own).length > 0 ? { params: own } : {}),
    // the config was checked with its mixture when the run was made; datasets.generate checks it again
    ...(params.mixture !== undefined ? { mixture: params.mixture as DatasetRequest['mixture'] } : {}),
  };
}

/** Held-out draws of a built-in set: the training request under another seed. */
export function heldOutRequest(data: Extract<DataRef, { source: 'builtin' }>, count?: number): DatasetRequest {
  const seed = (builtinRequest(data).seed + HELD_OUT_SEED_OFFSET) % 2 ** 32;
  return builtinRequest(data, { seed, ...(count !== undefined ? { count } : {}) });
}
