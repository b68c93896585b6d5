// The statuses of a run's life cycle: the one list run.json, the API and the training worker derive theirs from.
import { z } from 'zod';

/** Where a run stands: made but never started, training, paused, or ended one of three ways. */
export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
/** One of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The schema of a run status. */
export const runStatusSchema = z.enum(RUN_STATUSES);

/** What each status means for what can follow: ended (no worker trains the run until a person acts) and final (it cannot train again). */
const MEANING: Readonly<Record<RunStatus, { readonly ended: boolean; readonly final: boolean }>> = {
  created: { ended: false, final: false },
  running: { ended: false, final: false },
  paused: { ended: false, final: false },
  completed: { ended: true, final: true },
  failed: { ended: true, final: false },
  cancelled: { ended: true, final: true },
};

/** True where no worker trains the run until a person acts: completed, failed or cancelled. */
export const isEnded = (status: RunStatus): boolean => MEANING[status].ended;

/** True where the run cannot train again (a new run is needed): completed or cancelled. */
export const isFinal = (status: RunStatus): boolean => MEANING[status].final;

/** What a training worker reports: every status but 'created' (a worker exists only once the run has started). */
export const WORKER_STATUSES = RUN_STATUSES.filter((s): s is Exclude<RunStatus, 'created'> => s !== 'created');
/** The schema of a status a training worker reports. */
export const workerStatusSchema = z.enum(WORKER_STATUSES);
