// The registry of built-in 2D data sets and the calls that generate them.
import { batch, type Batch } from '../batch';
import type { GaussianMixture } from '../oracle/mixture';
import { Registry } from '../registry';
import { Rng } from '../rng';
import { eightGaussians, gaussianMixture } from './mixtures';
import { resolveParams } from './params';
import { checkerboard, circles, pinwheel, spirals, swissRoll, twoMoons } from './shapes';
import type { DatasetDefinition, DatasetParamsInput } from './types';

/** Every built-in data set by id; registering an id twice throws. */
export const datasetRegistry = new Registry<DatasetDefinition>('data set');
for (const def of [eightGaussians, twoMoons, circles, checkerboard, swissRoll, pinwheel, spirals, gaussianMixture]) {
  datasetRegistry.register(def.id, def);
}

/** Metadata of every built-in data set, in registry order, for the UI. */
export const DATASETS: readonly DatasetDefinition[] = datasetRegistry.names().map((id) => datasetRegistry.get(id));

/** Draws a data set as a Float32Array batch [count, 2], deterministic for its seed. */
export function generateDataset(id: string, params: DatasetParamsInput = {}): Batch<Float32Array<ArrayBuffer>> {
  const def = datasetRegistry.get(id);
  const p = resolveParams(def, params);
  const rng = new Rng(p.seed);
  const clean = new Float64Array(2 * p.count);
  def.draw(p, rng, clean);
  const out = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) out[i] = p.noise > 0 ? clean[i] + p.noise * rng.normal() : clean[i];
  return batch(out, [p.count, 2]);
}

/** The exact Gaussian mixture a data set follows for these params, or null if it is not one. */
export function datasetMixture(id: string, params: DatasetParamsInput = {}): GaussianMixture | null {
  const def = datasetRegistry.get(id);
  const p = resolveParams(def, params);
  return def.mixture ? def.mixture(p) : null;
}
