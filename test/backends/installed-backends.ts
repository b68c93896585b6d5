// What trains here, found the way the studio's probe finds it (every provider tried, in the order 'auto' tries them), and the report checked against it.
import { expect } from 'vitest';
import type { BackendAvailability, BackendsReport } from '../../src-core/api/methods/training';
import type { Registry } from '../../src-core/registry';
import { BACKEND_NAMES, COMPILED_STEP_PROVIDERS, type BackendName, type BackendProvider } from '../../src-core/training/backend';
import { probeBackends } from '../../src-main/training/backends/probe-backends';
import { backendRegistry } from '../../src-main/training/backends/resolve-backend';

/** Every backend but the compiled ONNX step (on any provider) trains through tfjs (TfjsTrainer): the ones a parity test covers. */
export const TFJS_BACKENDS: readonly BackendName[] = BACKEND_NAMES.filter((n) => !(n in COMPILED_STEP_PROVIDERS));

/** The TensorFlow backends: optional packages whose install downloads libtensorflow, so they may or may not load. */
export const TENSORFLOW_BACKENDS = ['tensorflow-gpu', 'tensorflow'] as const;

/**
 * Probes every backend of the registry in this process, as the probe process does (probe-worker.ts): the TensorFlow
 * packages are really loaded, so what comes back says whether they are installed and work here.
 */
export function probeHere(registry: Registry<BackendProvider> = backendRegistry()): Promise<BackendAvailability[]> {
  return probeBackends(registry, BACKEND_NAMES);
}

/** The kind of a reason: its text before the first ': ' (what follows may quote an error with this process's paths). */
export function reasonKind(reason: string): string {
  const i = reason.indexOf(': ');
  return i < 0 ? reason : reason.slice(0, i);
}

/**
 * The probe process's report agrees with what loaded in this process: a backend available here is available there on
 * the same device, one unavailable here is unavailable there for a reason of the same kind, and auto is the first
 * available.
 */
export function expectReportAgrees(report: BackendsReport, found: readonly BackendAvailability[]): void {
  expect(report.backends.map((b) => b.name)).toEqual(found.map((b) => b.name));
  found.forEach((here, i) => {
    const there = report.backends[i];
    if (here.available) expect(there, here.name).toEqual(here);
    else {
      expect(there.available, `${here.name}: here it failed with '${here.reason}'`).toBe(false);
      if (!there.available) expect(reasonKind(there.reason), here.name).toBe(reasonKind(here.reason));
    }
  });
  expect(report.auto).toBe(found.find((b) => b.available)?.name ?? null);
}
