// The worker's one door to the backend registry: picks a training backend for a preference and records how it was chosen.
import type { BackendChoice, BackendSpec } from '../../src-core/training/backend';
import { backendRegistry, decisionOf, resolveBackend } from './backends/resolve-backend';
import type { ChosenBackend } from './run-setup';
import type { WorkerSettings } from './worker-protocol';

/**
 * Resolves and creates the backend for a run ('auto' tries the fastest first and names what it passed over, with each
 * fix, passing over those the host saw crash its probe).
 */
export async function resolveTrainingBackend(preference: BackendChoice, spec: BackendSpec, avoid: WorkerSettings['avoidBackends'] = []): Promise<ChosenBackend> {
  const r = await resolveBackend(preference, spec, backendRegistry(), avoid);
  return { backend: r.backend, decision: decisionOf(r) };
}
