// The Lab's computations, declared once in LAB_COMPUTATIONS: the registry, the API methods and the Lab's worker all derive from it.
//
// To add a computation: write it in computations/<name>.ts with defineComputation (name, params schema, result schema,
// run; await ctx.progress in its long loops), unit-test it beside itself against closed forms, import it here and add
// it as one line of LAB_COMPUTATIONS. Its API method 'lab.<name>', its handler in the studio host and its place in the
// Lab's process follow from the list.
import type { LabComputation } from './computation';
import { Registry } from '../registry';
import { couplingsComputation } from './computations/couplings';
import { fokkerPlanckComputation } from './computations/fokker-planck';
import { forwardSdeComputation } from './computations/forward-sde';
import { gaussianBridgeComputation } from './computations/gaussian-bridge';
import { likelihoodComputation } from './computations/likelihood';
import { likelihoodBitsComputation } from './computations/likelihood-bits';
import { processesComputation } from './computations/processes';
import { reflowComputation } from './computations/reflow';
import { sameMarginalsComputation } from './computations/same-marginals';
import { sbTransportComputation } from './computations/sb-transport';
import { whyFlowMatchingComputation } from './computations/why-flow-matching';

export { defineComputation, runComputation, type LabComputation } from './computation';

/** Every computation of the Lab, one per line. */
export const LAB_COMPUTATIONS = [
  processesComputation,
  forwardSdeComputation,
  fokkerPlanckComputation,
  sameMarginalsComputation,
  couplingsComputation,
  gaussianBridgeComputation,
  sbTransportComputation,
  reflowComputation,
  likelihoodComputation,
  likelihoodBitsComputation,
  whyFlowMatchingComputation,
] as const satisfies readonly LabComputation[];

/** Builds a registry of computations by name; registering a name twice throws duplicate-name. */
export function createLabRegistry(computations: readonly LabComputation[]): Registry<LabComputation> {
  const registry = new Registry<LabComputation>('lab computation');
  for (const c of computations) registry.register(c.name, c);
  return registry;
}

/** The Lab's computations by name. */
export const labComputations = createLabRegistry(LAB_COMPUTATIONS);
