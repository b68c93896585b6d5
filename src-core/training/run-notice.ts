// The desktop notification a run's status change calls for: finished, failed, or paused by a fault (never a person's own pause).
import type { RunStatus } from './run-status';

/** What a notification shows. */
export interface RunNotice {
  readonly title: string;
  readonly body: string;
}

/** The part of a run summary the notice reads. */
interface NoticeRun {
  readonly id: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly lastStep: number;
  readonly totalSteps: number;
  readonly error: string | null;
}

/** The notice of a run entering its status, or null where that status calls for none. */
function noticeOf(run: NoticeRun): RunNotice | null {
  if (run.status === 'completed') return { title: 'Training finished', body: `${run.name}: ${run.totalSteps.toLocaleString('en-US')} steps trained.` };
  if (run.status === 'failed') return { title: 'Training failed', body: `${run.name}: ${run.error ?? 'the run stopped with an error'}` };
  // a pause the person asked for carries no error; one the studio made after a fault says what happened
  if (run.status === 'paused' && run.error !== null) return { title: 'Training paused by a fault', body: `${run.name} at step ${run.lastStep.toLocaleString('en-US')}: ${run.error}` };
  return null;
}

/**
 * Follows runs' status events and gives the notice due at each: once per entry into a status (a checkpoint repeats
 * the status it had, and gives nothing), for whatever client shows it (the page, the desktop app's main process).
 */
export class RunNoticeTracker {
  private readonly seen = new Map<string, RunStatus>();

  /** Takes a run's newer summary; the notice it calls for, or null. */
  take(run: NoticeRun): RunNotice | null {
    const before = this.seen.get(run.id);
    this.seen.set(run.id, run.status);
    return before === run.status ? null : noticeOf(run);
  }

  /** Forgets a deleted run. */
  forget(runId: string): void {
    this.seen.delete(runId);
  }
}
