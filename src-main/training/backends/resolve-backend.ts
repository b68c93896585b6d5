// Chooses a training backend: the registry of providers and a resolver that tries them fastest-first and reports every failure.
import { StudioError } from '../../../src-core/errors';
import { Registry } from '../../../src-core/registry';
import {
  BACKEND_CHOICES, BACKEND_NAMES, BackendRefusedError, type BackendChoice, type BackendName, type BackendProvider, type BackendRefused,
  type BackendSpec, type TrainingBackend,
} from '../../../src-core/training/backend';
import { refusalsLine, type BackendDecision, type BackendHow, type BackendRefusal } from '../../../src-core/training/backend-decision';
import { probeBackend } from './probe-backends';
import { errorMessage } from './tfjs-engine';
import { PROVIDERS } from './providers';

/** The chosen backend, how it was chosen, and every one tried before it with why and the fix. */
interface ResolvedBackend {
  readonly backend: TrainingBackend;
  readonly how: BackendHow;
  /** The backends passed over on the way, in the order tried (empty when the first one ran). */
  readonly tried: readonly BackendRefusal[];
}

/** The decision a resolved backend records in its run. */
export function decisionOf(r: ResolvedBackend): BackendDecision {
  return { name: r.backend.name, device: r.backend.device, how: r.how, tried: [...r.tried] };
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

async function tryProvider(registry: Registry<BackendProvider>, name: BackendName, spec: BackendSpec): Promise<{ backend: TrainingBackend } | BackendRefused> {
  const probe = await probeBackend(registry, name);
  if (!probe.available) return { ok: false, reason: probe.reason, fix: probe.fix };
  try {
    return { backend: await registry.get(name).create(spec) };
  } catch (err) {
    // the fix is known only where the provider knew the cause
    return { ok: false, reason: `present (${probe.device}) but could not build this model: ${errorMessage(err)}`, fix: err instanceof BackendRefusedError ? err.fix : null };
  }
}

/**
 * 'auto' tries providers in BACKEND_NAMES order and returns the first that probes OK and is created, passing over
 * those in avoid with their reason; a named backend is the only one tried and throws invalid-argument with its reason
 * when it cannot run; when every one fails the error lists every reason.
 */
export async function resolveBackend(
  preference: BackendChoice,
  spec: BackendSpec,
  registry: Registry<BackendProvider> = backendRegistry(),
  avoid: readonly { readonly name: BackendName; readonly reason: string }[] = [],
): Promise<ResolvedBackend> {
  if (preference !== 'auto') {
    if (!(BACKEND_NAMES as readonly string[]).includes(preference)) {
      throw new StudioError('invalid-argument', `unknown training backend '${preference}'; known: ${BACKEND_CHOICES.join(', ')}`);
    }
    const r = await tryProvider(registry, preference, spec);
    if ('reason' in r) throw new StudioError('invalid-argument', `the run asks for the '${preference}' backend, which cannot run here: ${r.reason}`);
    return { backend: r.backend, how: 'forced', tried: [] };
  }
  const tried: BackendRefusal[] = [];
  for (const name of BACKEND_NAMES) {
    const avoided = avoid.find((a) => a.name === name);
    if (avoided) {
      tried.push({ name, reason: avoided.reason, fix: null });
      continue;
    }
    const r = await tryProvider(registry, name, spec);
    if ('backend' in r) return { backend: r.backend, how: 'auto', tried };
    tried.push({ name, reason: r.reason, fix: r.fix });
  }
  throw new StudioError('internal', `no training backend can run here: ${refusalsLine(tried)}`);
}
