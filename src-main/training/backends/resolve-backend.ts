// Chooses a training backend: the registry of providers and a resolver that tries them fastest-first and reports every failure.
import { StudioError } from '../../../src-core/errors';
import { Registry } from '../../../src-core/registry';
import { BACKEND_NAMES, type BackendName, type BackendProvider, type BackendSpec, type TrainingBackend } from '../../../src-core/training/backend';
import { errorMessage } from './tfjs-engine';
import { PROVIDERS } from './providers';

/** A backend that was tried and did not run, with why. */
export interface TriedBackend {
  readonly name: BackendName;
  readonly reason: string;
}

/** The chosen backend, why it was chosen, and every one tried before it. */
export interface ResolvedBackend {
  readonly backend: TrainingBackend;
  readonly reason: string;
  /** The backends skipped on the way, in the order tried (empty when the first one ran). */
  readonly tried: readonly TriedBackend[];
}

/** A registry of providers by backend name; a name registered twice throws duplicate-name. */
export function createBackendRegistry(providers: readonly BackendProvider[] = PROVIDERS): Registry<BackendProvider> {
  const registry = new Registry<BackendProvider>('training backend');
  for (const p of providers) registry.register(p.name, p);
  return registry;
}

let defaultRegistry: Registry<BackendProvider> | null = null;

/** The studio's registry (built on first use). */
export function backendRegistry(): Registry<BackendProvider> {
  defaultRegistry ??= createBackendRegistry();
  return defaultRegistry;
}

async function tryProvider(registry: Registry<BackendProvider>, name: BackendName, spec: BackendSpec): Promise<{ backend: TrainingBackend } | { reason: string }> {
  if (!registry.has(name)) return { reason: 'no provider is registered under this name' };
  const provider = registry.get(name);
  let probe: Awaited<ReturnType<BackendProvider['probe']>>;
  try {
    probe = await provider.probe();
  } catch (err) {
    return { reason: `probe failed: ${errorMessage(err)}` };
  }
  if (!probe.ok) return { reason: probe.reason };
  try {
    return { backend: await provider.create(spec) };
  } catch (err) {
    return { reason: `present (${probe.device}) but could not build this model: ${errorMessage(err)}` };
  }
}

const listReasons = (tried: readonly TriedBackend[]) => tried.map((t) => `${t.name}: ${t.reason}`).join('; ');

/**
 * 'auto' tries providers in BACKEND_NAMES order and returns the first that probes OK and is created; a named backend
 * is the only one tried and throws invalid-argument with its reason when it cannot run; when every one fails the
 * error lists every reason.
 */
export async function resolveBackend(
  preference: 'auto' | BackendName,
  spec: BackendSpec,
  registry: Registry<BackendProvider> = backendRegistry(),
): Promise<ResolvedBackend> {
  if (preference !== 'auto') {
    if (!(BACKEND_NAMES as readonly string[]).includes(preference)) {
      throw new StudioError('invalid-argument', `unknown training backend '${preference}'; known: auto, ${BACKEND_NAMES.join(', ')}`);
    }
    const r = await tryProvider(registry, preference, spec);
    if ('reason' in r) throw new StudioError('invalid-argument', `the run asks for the '${preference}' backend, which cannot run here: ${r.reason}`);
    return { backend: r.backend, reason: `asked for by the run (${r.backend.device})`, tried: [] };
  }
  const tried: TriedBackend[] = [];
  for (const name of BACKEND_NAMES) {
    const r = await tryProvider(registry, name, spec);
    if ('backend' in r) {
      const skipped = tried.length ? `; skipped ${listReasons(tried)}` : '';
      return { backend: r.backend, reason: `fastest backend that runs here: ${name} on ${r.backend.device}${skipped}`, tried };
    }
    tried.push({ name, reason: r.reason });
  }
  throw new StudioError('internal', `no training backend can run here: ${listReasons(tried)}`);
}
