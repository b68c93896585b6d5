// A training run as a model to sample: its latest checkpoint's EMA weights, described by the run's config and data set.
import type { SavedDataset } from '../../../src-core/api/contract';
import type { RunSummary } from '../../../src-core/api/methods/training';
import type { TrainingConfig } from '../../../src-core/training/config';

/** What sampling and drawing need to know about a run's network. */
export interface RunModelMeta {
  readonly parameterisation: string;
  readonly schedule: string;
  /** Shape of one item, e.g. [2] for points or [C, H, W] for images. */
  readonly dataShape: readonly number[];
  /**
   * Class conditioning with the default guidance weight the studio samples it with (that of an export), and the data
   * set's class names by label where it has one per class.
   */
  readonly classes: { readonly count: number; readonly guidance: number; readonly names?: readonly string[] } | null;
  /** Value range of the data set where it is known (images are drawn over it), else null. */
  readonly range: readonly [number, number] | null;
}

/** A run in the model picker; `unavailable` says why it cannot be sampled (then it is shown disabled). */
export interface RunChoice {
  readonly kind: 'run';
  readonly key: string;
  readonly label: string;
  readonly runId: string;
  readonly meta: RunModelMeta | null;
  readonly unavailable: string | null;
  /** True while a training process is working on it: each new sample reads a newer checkpoint. */
  readonly training: boolean;
}

/** Built-in data sets are 2-D points. */
const BUILTIN_SHAPE = [2] as const;

/** The picker key of a run's live weights. */
export const runChoiceKey = (runId: string) => `run:${runId}`;

/**
 * True once the run's worker began training: the first thing it does is write a checkpoint of the initial
 * weights, and later checkpoints replace it. A run that was never started, or failed while being set up, has none.
 */
export function hasCheckpoint(run: Pick<RunSummary, 'startedAt'>): boolean {
  return run.startedAt !== null;
}

/** True while a worker trains the run (a run that just completed may still hold its worker for a moment). */
export function isTraining(run: Pick<RunSummary, 'status' | 'active'>): boolean {
  return run.status === 'running' && run.active;
}

/** The network's description from the run's config, or why it cannot be given (its saved data set is gone). */
export function runMeta(config: TrainingConfig, saved: readonly SavedDataset[]): RunModelMeta | string {
  const data = config.data;
  let dataShape: readonly number[] = BUILTIN_SHAPE;
  let range: readonly [number, number] | null = null;
  let names: readonly string[] | undefined;
  if (data.source === 'workspace') {
    const set = saved.find((s) => s.id === data.id);
    if (!set) return `its data set '${data.id}' is not in the workspace any more`;
    dataShape = set.shape.slice(1);
    if (set.classes && set.classes.length === config.model.classes) names = set.classes;
    const stats = set.normalisation;
    if (stats && stats.min.length > 0) {
      const lo = Math.min(...stats.min);
      const hi = Math.max(...stats.max);
      if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) range = [lo, hi];
    }
  }
  const classes = config.model.classes;
  return {
    parameterisation: config.objective.parameterisation,
    schedule: config.objective.schedule.name,
    dataShape,
    classes: classes === null ? null : { count: classes, guidance: 1, ...(names ? { names } : {}) },
    range,
  };
}

/** The words after the run's name: whose weights these are and where the run stands. */
function stateText(run: RunSummary): string {
  if (isTraining(run)) return `current EMA weights (step ${run.lastStep} of ${run.totalSteps}, training…)`;
  if (run.status === 'failed') return 'EMA weights of its last checkpoint (failed)';
  return `current EMA weights (step ${run.lastStep} of ${run.totalSteps}, ${run.status})`;
}

/** The picker entry of a run; config is null with configError when the run's config could not be read. */
export function runChoice(run: RunSummary, config: TrainingConfig | null, saved: readonly SavedDataset[], configError: string | null = null): RunChoice {
  const base = { kind: 'run' as const, key: runChoiceKey(run.id), runId: run.id, training: isTraining(run) };
  const meta = config ? runMeta(config, saved) : (configError ?? 'its config could not be read');
  if (typeof meta === 'string') return { ...base, label: `${run.name}: cannot be sampled`, meta: null, unavailable: meta };
  if (!hasCheckpoint(run)) {
    const why =
      run.status === 'failed' ? `it failed before its first checkpoint${run.error ? `: ${run.error}` : ''}`
      : run.status === 'cancelled' ? 'it was cancelled before its first checkpoint'
      : 'its training has not begun: it has no checkpoint yet';
    return { ...base, label: `${run.name}: no checkpoint yet`, meta, unavailable: why };
  }
  return { ...base, label: `${run.name}: ${stateText(run)}`, meta, unavailable: null };
}
