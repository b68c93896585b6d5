// Reads a run's backend choice (name + reason, as the resolver words it) into what was chosen, what was skipped, and fixes;
// and, before any run, the host's probe of every backend into what 'auto' would pick and what each missing one needs.
import type { BackendsReport } from '../../../src-core/api/methods/training';
import { BACKEND_NAMES } from '../../../src-core/training/backend';

/** A backend that was tried and could not run, with what a person does about it. */
export interface SkippedBackend {
  readonly name: string;
  readonly reason: string;
  readonly fix: string | null;
}

/** The backend panel's content. */
export interface BackendReport {
  readonly name: string;
  readonly device: string | null;
  /** 'auto' (the fastest that runs) or 'forced' (the run asked for it). */
  readonly how: 'auto' | 'forced' | 'unknown';
  readonly skipped: readonly SkippedBackend[];
}

/** The one thing to do about a missing backend, from the words of its reason. */
export function fixFor(name: string, reason: string): string | null {
  if (/CUDA 11\.2|cuDNN|libcudart|libcudnn/.test(reason)) return 'Install CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) where the loader finds them (LD_LIBRARY_PATH), then restart the studio.';
  if (/no usable CUDA GPU/.test(reason)) return 'Check the NVIDIA driver (nvidia-smi) and that CUDA 11.2 and cuDNN 8.1 are installed.';
  if (/is not installed/.test(reason)) {
    const pkg = /(@tensorflow\/[a-z-]+)/.exec(reason)?.[1] ?? (name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
    return `npm install ${pkg} (an optional dependency; its install downloads libtensorflow, so it needs network access).`;
  }
  if (/libtensorflow/.test(reason)) return `Rebuild it with network access: npm rebuild ${name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'}.`;
  if (/cannot load beside/.test(reason)) return 'Only one TensorFlow package loads per process: remove the other one, or force this backend in a new run.';
  if (name === 'onnxruntime' && /onnx ?runtime/i.test(reason)) return 'Install or repair onnxruntime-node (npm install onnxruntime-node).';
  return null;
}

/** Splits "a: why; b: why" into entries, cutting only before a known backend name (a reason may contain '; '). */
function splitSkipped(text: string): SkippedBackend[] {
  const names = BACKEND_NAMES.join('|');
  const re = new RegExp(`(?:^|; )(${names}): `, 'g');
  const marks = [...text.matchAll(re)];
  return marks.map((m, k) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = k + 1 < marks.length ? (marks[k + 1].index ?? text.length) : text.length;
    const reason = text.slice(start, end);
    return { name: m[1], reason, fix: fixFor(m[1], reason) };
  });
}

const AUTO = 'fastest backend that runs here: ';
const FORCED = 'asked for by the run (';

/** The report for a run's backend record (its reason may start with '<device>: '); null before the run has one. */
export function readBackend(backend: { name: string; reason: string } | null): BackendReport | null {
  if (!backend) return null;
  const { name, reason } = backend;
  const auto = reason.indexOf(AUTO);
  if (auto >= 0) {
    const rest = reason.slice(auto + AUTO.length);
    const cut = rest.indexOf('; skipped ');
    const chosen = cut >= 0 ? rest.slice(0, cut) : rest;
    const on = chosen.indexOf(' on ');
    return { name, device: on >= 0 ? chosen.slice(on + 4) : null, how: 'auto', skipped: cut >= 0 ? splitSkipped(rest.slice(cut + '; skipped '.length)) : [] };
  }
  const forced = reason.indexOf(FORCED);
  if (forced >= 0 && reason.endsWith(')')) return { name, device: reason.slice(forced + FORCED.length, -1), how: 'forced', skipped: [] };
  return { name, device: null, how: 'unknown', skipped: [] };
}

/** One backend as the panel lists it before a run: its device, or why it cannot run and what to do. */
export interface AvailableBackend {
  readonly name: string;
  readonly available: boolean;
  readonly device: string | null;
  readonly reason: string | null;
  readonly fix: string | null;
  /** True for the backend a run on 'auto' gets. */
  readonly auto: boolean;
}

/** A backend the form asks for that cannot run here. */
export interface ForcedProblem {
  readonly name: string;
  readonly reason: string;
  readonly fix: string | null;
}

/** The panel's content before a run: every backend in the order 'auto' tries them, and what sampling runs on. */
export interface AvailabilityView {
  readonly backends: readonly AvailableBackend[];
  readonly auto: string | null;
  readonly sampling: { readonly available: boolean; readonly text: string; readonly fix: string | null; readonly notes: readonly string[] };
}

/** The rows of the probe report, each missing backend with its fix. */
export function readAvailability(report: BackendsReport): AvailabilityView {
  const backends = report.backends.map((b) =>
    b.available
      ? { name: b.name, available: true, device: b.device, reason: null, fix: null, auto: b.name === report.auto }
      : { name: b.name, available: false, device: null, reason: b.reason, fix: fixFor(b.name, b.reason), auto: false },
  );
  const s = report.sampling;
  const sampling = s.available
    ? { available: true, text: s.device, fix: null, notes: s.notes }
    : { available: false, text: s.reason, fix: fixFor('onnxruntime', s.reason), notes: s.notes };
  return { backends, auto: report.auto, sampling };
}

/** The problem with a forced backend choice that the probe found unable to run; null for 'auto', a runnable one, or no report yet. */
export function forcedProblem(report: BackendsReport | null, requested: string): ForcedProblem | null {
  if (!report || requested === 'auto') return null;
  const b = report.backends.find((x) => x.name === requested);
  if (!b || b.available) return null;
  return { name: b.name, reason: b.reason, fix: fixFor(b.name, b.reason) };
}
