// Public entry of sampling: the sampler and grid registries, sample(), and the guidance wrapper.
import type { Batch, FloatArray } from '../batch';
import type { Model } from '../model';
import { samplers } from './registry';
import { runSampler } from './run';
import type { SampleOptions, SampleResult } from './types';

export { samplers } from './registry';
export { SAMPLER_KINDS, SAMPLER_OPTION_NAMES } from './types';
export { grids, makeGrid } from './grids';
export { guidedModel } from './guidance';
export { samplerOptionProblems } from './options';
export type { GridChoice, SamplerOptionName, SamplerOptionValues, StepInfo } from './types';

/** Runs the named sampler on a model from the noise batch x at the grid's first time; see SampleOptions. */
export async function sample<A extends FloatArray>(name: string, model: Model, x: Batch<A>, options: SampleOptions = {}): Promise<SampleResult<A>> {
  return runSampler(name, samplers.get(name), model, x, options);
}
