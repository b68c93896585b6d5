// The worker's one door to the backend registry: picks a training backend for a preference and says why.
import type { BackendName, BackendSpec } from '../../src-core/training/backend';
import { resolveBackend } from './backends/resolve-backend';
import type { ChosenBackend } from './run-setup';

/** Resolves and creates the backend for a run ('auto' tries the fastest first and names what it skipped). */
export async function resolveTrainingBackend(preference: 'auto' | BackendName, spec: BackendSpec): Promise<ChosenBackend> {
  const r = await resolveBackend(preference, spec);
  return { backend: r.backend, reason: r.reason };
}
