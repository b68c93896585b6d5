// The statuses of a run's life cycle: the one list run.json, the API and the training worker derive theirs from.
import { z } from 'zod';

/** Where a run stands: made but never started, training, paused, or ended one of three ways. */
export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
/** One of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The schema of a run status. */
export const runStatusSchema = z.enum(RUN_STATUSES);

/** What a training worker reports: every status but 'created' (a worker exists only once the run has started). */
export const WORKER_STATUSES = RUN_STATUSES.filter((s): s is Exclude<RunStatus, 'created'> => s !== 'created');
/** The schema of a status a training worker reports. */
export const workerStatusSchema = z.enum(WORKER_STATUSES);
