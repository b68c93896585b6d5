// A training run as a model to sample: its newest checkpoint's EMA weights, as the studio's catalog describes it.
import type { CatalogEntry, ModelDataRef, ModelDetails, ModelMeta } from '../../../src-core/api/methods/models';
import type { RunSummary } from '../../../src-core/api/methods/training';

/** A run's entry of the catalog. */
export type RunEntry = Extract<CatalogEntry, { kind: 'run' }>;

/** A run in the model picker; `unavailable` says why it cannot be sampled (then it is shown disabled). */
export interface RunChoice {
  readonly kind: 'run';
  readonly key: string;
  readonly label: string;
  readonly runId: string;
  /** The file-format metadata of the run's network (what its export carries); null when the studio could not describe it. */
  readonly meta: ModelMeta | null;
  readonly details: ModelDetails | null;
  readonly data: ModelDataRef | null;
  readonly unavailable: string | null;
  /** True while a training process is working on it: each new sample reads a newer checkpoint. */
  readonly training: boolean;
}

/** The picker key of a run's live weights. */
const runChoiceKey = (runId: string) => `run:${runId}`;

/**
 * True once the run's worker began training: the first thing it does is write a checkpoint of the initial
 * weights, and later checkpoints replace it. A run that was never started, or failed while being set up, has none.
 */
function hasCheckpoint(run: Pick<RunSummary, 'startedAt'>): boolean {
  return run.startedAt !== null;
}

/** True while a worker trains the run (a run that just completed may still hold its worker for a moment). */
function isTraining(run: Pick<RunSummary, 'status' | 'active'>): boolean {
  return run.status === 'running' && run.active;
}

/** The words after the run's name: whose weights these are and where the run stands. */
function stateText(run: RunSummary): string {
  if (isTraining(run)) return `current EMA weights (step ${run.lastStep} of ${run.totalSteps}, training…)`;
  if (run.status === 'failed') return 'EMA weights of its last checkpoint (failed)';
  return `current EMA weights (step ${run.lastStep} of ${run.totalSteps}, ${run.status})`;
}

/** The picker entry of a run's catalog entry (its summary may be newer than the catalog's, from an event). */
export function runChoice(entry: RunEntry): RunChoice {
  const { run, meta, details, data } = entry;
  const base = { kind: 'run' as const, key: runChoiceKey(run.id), runId: run.id, training: isTraining(run), details, data };
  if (!meta) return { ...base, label: `${run.name}: cannot be sampled`, meta: null, unavailable: entry.problem ?? 'the studio could not describe it' };
  if (!hasCheckpoint(run)) {
    const why =
      run.status === 'failed' ? `it failed before its first checkpoint${run.error ? `: ${run.error}` : ''}`
      : run.status === 'cancelled' ? 'it was cancelled before its first checkpoint'
      : 'its training has not begun: it has no checkpoint yet';
    return { ...base, label: `${run.name}: no checkpoint yet`, meta, unavailable: why };
  }
  return { ...base, label: `${run.name}: ${stateText(run)}`, meta, unavailable: null };
}
