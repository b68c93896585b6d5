// Formats the backend panel's content from data: a run's recorded backend decision, and before any run the host's probe of
// every backend (what 'auto' would pick, what each missing one needs). Reasons and fixes arrive as they were found; nothing is read back from words.
import type { BackendsReport, RunSummary } from '../../../src-core/api/methods/training';
import { BACKEND_NAMES } from '../../../src-core/training/backend';
import type { BackendRefusal } from '../../../src-core/training/backend-decision';

/** A run's backend as the panel shows it. */
interface RunBackendView {
  readonly name: string;
  /** The device it trains on; null where the run recorded only a note. */
  readonly device: string | null;
  /** Why this backend: how it was chosen, or the run's note as written. */
  readonly why: string;
  /** The backends passed over before it, each with its reason and fix. */
  readonly skipped: readonly BackendRefusal[];
}

/** The view of a run's recorded backend; null before the run has one. */
export function runBackendView(backend: RunSummary['backend']): RunBackendView | null {
  if (!backend) return null;
  if ('note' in backend) return { name: backend.name, device: null, why: backend.note, skipped: [] };
  const why = backend.how === 'auto' ? 'Chosen as the fastest that runs here.' : 'Asked for by the run.';
  return { name: backend.name, device: backend.device, why, skipped: backend.tried };
}

/** The backends in the order 'auto' tries them, as a sentence's list ('a, b and c'). */
export function autoOrderText(): string {
  return `${BACKEND_NAMES.slice(0, -1).join(', ')} and ${BACKEND_NAMES[BACKEND_NAMES.length - 1]}`;
}

/** One backend as the panel lists it before a run: its device, or why it cannot run and what to do. */
interface AvailableBackend {
  readonly name: string;
  readonly available: boolean;
  readonly device: string | null;
  readonly reason: string | null;
  readonly fix: string | null;
  /** True for the backend a run on 'auto' gets. */
  readonly auto: boolean;
}

/** A backend the form asks for that cannot run here. */
interface ForcedProblem {
  readonly name: string;
  readonly reason: string;
  readonly fix: string | null;
}

/** The panel's content before a run: every backend in the order 'auto' tries them, and what sampling runs on. */
interface AvailabilityView {
  readonly backends: readonly AvailableBackend[];
  readonly auto: string | null;
  readonly sampling: { readonly available: boolean; readonly text: string; readonly fix: string | null; readonly notes: readonly string[] };
}

/** The rows of the probe report, auto's pick marked. */
export function readAvailability(report: BackendsReport): AvailabilityView {
  const backends = report.backends.map((b) =>
    b.available
      ? { name: b.name, available: true, device: b.device, reason: null, fix: null, auto: b.name === report.auto }
      : { name: b.name, available: false, device: null, reason: b.reason, fix: b.fix, auto: false },
  );
  const s = report.sampling;
  const sampling = s.available ? { available: true, text: s.device, fix: null, notes: s.notes } : { available: false, text: s.reason, fix: s.fix, notes: s.notes };
  return { backends, auto: report.auto, sampling };
}

/** The problem with a forced backend choice that the probe found unable to run; null for 'auto', a runnable one, or no report yet. */
export function forcedProblem(report: BackendsReport | null, requested: string): ForcedProblem | null {
  if (!report || requested === 'auto') return null;
  const b = report.backends.find((x) => x.name === requested);
  if (!b || b.available) return null;
  return { name: b.name, reason: b.reason, fix: b.fix };
}
