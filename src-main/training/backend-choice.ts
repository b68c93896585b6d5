// The worker's one door to the backend registry: picks a training backend for a preference and records how it was chosen.
import type { BackendChoice, BackendSpec } from '../../src-core/training/backend';
import { decisionOf, resolveBackend } from './backends/resolve-backend';
import type { ChosenBackend } from './run-setup';

/** Resolves and creates the backend for a run ('auto' tries the fastest first and names what it passed over, with each fix). */
export async function resolveTrainingBackend(preference: BackendChoice, spec: BackendSpec): Promise<ChosenBackend> {
  const r = await resolveBackend(preference, spec);
  return { backend: r.backend, decision: decisionOf(r) };
}
