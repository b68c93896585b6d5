// Asks providers whether their backend can run here, without building a model: the availability the backend panel shows before a run.
import type { BackendAvailability } from '../../../src-core/api/methods/training';
import type { Registry } from '../../../src-core/registry';
import type { BackendName, BackendProvider } from '../../../src-core/training/backend';
import { errorMessage } from './tfjs-engine';

/** One backend's probe as the resolver would meet it: a missing provider, a throwing probe and a refusal each come back with their reason and fix. */
export async function probeBackend(registry: Registry<BackendProvider>, name: BackendName): Promise<BackendAvailability> {
  if (!registry.has(name)) return { name, available: false, reason: 'no provider is registered under this name', fix: null };
  try {
    const r = await registry.get(name).probe();
    return r.ok ? { name, available: true, device: r.device } : { name, available: false, reason: r.reason, fix: r.fix };
  } catch (err) {
    return { name, available: false, reason: `probe failed: ${errorMessage(err)}`, fix: null };
  }
}

/** Probes the backends one after another, in the order given (BACKEND_NAMES for the 'auto' order), calling back after each. */
export async function probeBackends(
  registry: Registry<BackendProvider>,
  names: readonly BackendName[],
  onResult: (result: BackendAvailability) => void = () => undefined,
): Promise<BackendAvailability[]> {
  const out: BackendAvailability[] = [];
  for (const name of names) {
    const r = await probeBackend(registry, name);
    out.push(r);
    onResult(r);
  }
  return out;
}
