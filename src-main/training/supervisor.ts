// The training supervisor: one worker process per run, its messages turned into run.json updates and events, deaths reported.
import { StudioError } from '../../src-core/errors';
import { spawnChild, type ChildHandle } from '../process/child-process';
import { describeExit, lastErrorLine, type ChildExit } from '../process/exit-description';
import { RestartPolicy } from '../process/restart-policy';
import { readRunRecord, updateRun, type RunRecord, type RunUpdate } from '../runs';
import { fromWorkerSchema, toWorkerSchema, type FromWorker, type ToWorker, type WorkerProgress } from './worker-protocol';
import type { z } from 'zod';
import { workerSettingsSchema } from './worker-protocol';

/** Worker settings as a caller may give them (defaults filled by the schema). */
export type WorkerSettingsInput = z.input<typeof workerSettingsSchema>;

/** What the supervisor tells its owner (the service forwards it as API events, the CLI prints it). */
export interface SupervisorListener {
  /** A worker began training: its backend and the step it continues from. */
  started?(runId: string, info: { backend: { name: string; device: string; reason: string }; fromStep: number; totalSteps: number }): void;
  progress?(runId: string, progress: WorkerProgress): void;
  preview?(runId: string, preview: { step: number; points: Float32Array<ArrayBuffer>; shape: number[]; nfe: number }): void;
  /** run.json changed; message explains a failure or a death. */
  status?(runId: string, record: RunRecord, message: string | null): void;
  log?(runId: string, level: 'info' | 'warn' | 'error', message: string): void;
}

/** Settings of a supervisor. */
export interface SupervisorOptions {
  /** The built worker entry (out/main/training-worker.js). */
  readonly workerPath: string;
  readonly listener?: SupervisorListener;
  /** Restart a worker that died unexpectedly (while the restart policy allows); default true. */
  readonly autoRestart?: boolean;
  /** Where saved data sets live, when runs are not under <workspace>/runs/. */
  readonly workspace?: string;
  readonly settings?: WorkerSettingsInput;
  readonly env?: NodeJS.ProcessEnv;
}

interface Active {
  readonly runId: string;
  readonly runDir: string;
  readonly child: ChildHandle<ToWorker, FromWorker>;
  readonly settings: WorkerSettingsInput;
  step: number;
  checkpointStep: number | null;
  /** True once the worker announced that it is exiting on purpose. */
  leaving: boolean;
  /** True once the worker began training (a death before that is a failed start, not a crash worth a restart). */
  trained: boolean;
  paused: boolean;
  readonly ended: Promise<void>;
}

/** Starts, steers and watches training workers; the one writer of each supervised run's run.json. */
export class TrainingSupervisor {
  private readonly active = new Map<string, Active>();
  private readonly policies = new Map<string, RestartPolicy>();
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(private readonly options: SupervisorOptions) {}

  /** Ids of the runs with a live worker. */
  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  /** True while a worker trains (or holds, paused) this run. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Starts a worker on a run folder (resuming from its latest checkpoint); resolves once it trains, rejects if it cannot start. */
  async launch(runDir: string, settings: WorkerSettingsInput = {}): Promise<{ runId: string; fromStep: number; backend: string }> {
    const record = await readRunRecord(runDir);
    if (this.active.has(record.id)) throw new StudioError('invalid-argument', `run ${record.id} is already training`);
    if (record.status === 'completed' || record.status === 'cancelled') throw new StudioError('invalid-argument', `run ${record.id} is ${record.status}; start a new run to train more`);
    const child = await spawnChild({ modulePath: this.options.workerPath, name: 'training-worker', toChild: toWorkerSchema, fromChild: fromWorkerSchema, ...(this.options.env ? { env: this.options.env } : {}) });
    const merged = { ...this.options.settings, ...settings };
    let resolveStarted: (v: { fromStep: number; backend: string }) => void = () => undefined;
    let rejectStarted: (e: Error) => void = () => undefined;
    const started = new Promise<{ fromStep: number; backend: string }>((res, rej) => {
      resolveStarted = res;
      rejectStarted = rej;
    });
    const entry: Active = {
      runId: record.id, runDir, child, settings, step: record.lastStep, checkpointStep: null, leaving: false, trained: false, paused: false,
      ended: child.exited.then((exit) => this.onExit(entry, exit, rejectStarted)),
    };
    this.active.set(record.id, entry);
    child.onInvalidMessage((problem) => this.options.listener?.log?.(record.id, 'error', `training worker: ${problem}`));
    child.onMessage((m) => {
      if (m.type === 'ready') child.send({ type: 'start', runDir, settings: merged, ...(this.options.workspace ? { workspace: this.options.workspace } : {}) });
      else if (m.type === 'started') resolveStarted({ fromStep: m.fromStep, backend: m.backend.name });
      else if (m.type === 'status' && m.status === 'failed' && m.step === 0 && m.checkpointStep === null) rejectStarted(new StudioError('invalid-argument', m.message ?? 'the run could not start'));
      this.onMessage(entry, m);
    });
    // A failed start rejects only once the worker is gone and run.json says why.
    const info = await started.catch(async (err: Error) => {
      await entry.ended;
      throw err;
    });
    return { runId: record.id, ...info };
  }

  /** Asks a run to checkpoint and hold (the worker stays up; resume continues in place). */
  pause(runId: string): void {
    this.require(runId).child.send({ type: 'pause', exit: false });
  }

  /** Continues a paused run: in its live worker, or in a new one from the latest checkpoint (after a crash or a restart). */
  async resume(runDir: string, runId: string): Promise<void> {
    const entry = this.active.get(runId);
    if (entry && !entry.leaving) {
      entry.child.send({ type: 'resume' });
      return;
    }
    if (entry) await entry.ended;
    this.policies.get(runId)?.reset();
    await this.launch(runDir);
  }

  /** Ends a run for good after a last checkpoint. */
  async cancel(runDir: string, runId: string): Promise<void> {
    const entry = this.active.get(runId);
    if (entry) {
      entry.child.send({ type: 'cancel' });
      await entry.ended;
      return;
    }
    const record = await readRunRecord(runDir);
    if (record.status === 'completed' || record.status === 'cancelled') return;
    await this.write(runId, runDir, { status: 'cancelled', finishedAt: new Date().toISOString() }, null);
  }

  /** Checkpoints and ends a run's worker, leaving the run paused (Ctrl-C, app quit). */
  async stop(runId: string): Promise<void> {
    const entry = this.active.get(runId);
    if (!entry) return;
    entry.child.send({ type: 'pause', exit: true });
    await entry.ended;
  }

  /** Stops every worker (each checkpoints first). */
  async stopAll(): Promise<void> {
    await Promise.all(this.activeRuns().map((id) => this.stop(id)));
  }

  /** Resolves when the run's current worker has ended (immediately if none). */
  async waitForExit(runId: string): Promise<void> {
    await this.active.get(runId)?.ended;
  }

  /** The worker's pid (tests kill it to simulate a crash). */
  pid(runId: string): number | undefined {
    return this.active.get(runId)?.child.pid;
  }

  private require(runId: string): Active {
    const entry = this.active.get(runId);
    if (!entry) throw new StudioError('invalid-argument', `run ${runId} has no training process; resume it to start one`);
    return entry;
  }

  /** Renames a run in the same one-at-a-time queue as the worker's updates (neither overwrites the other), then reports it. */
  rename(runId: string, runDir: string, name: string): Promise<RunRecord> {
    const done = (this.writes.get(runId) ?? Promise.resolve()).then(() => updateRun(runDir, { name }));
    this.writes.set(runId, done.then(() => undefined, () => undefined));
    return done.then((record) => {
      this.options.listener?.status?.(runId, record, null);
      return record;
    });
  }

  /** Applies run.json updates one at a time per run, then reports the new record. */
  private write(runId: string, runDir: string, update: RunUpdate | ((current: RunRecord) => RunUpdate), message: string | null): Promise<void> {
    const previous = this.writes.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const record = await updateRun(runDir, typeof update === 'function' ? update(await readRunRecord(runDir)) : update);
      this.options.listener?.status?.(runId, record, message);
    }).catch((err: Error) => this.options.listener?.log?.(runId, 'error', `could not update run.json: ${err.message}`));
    this.writes.set(runId, next);
    return next;
  }

  private onMessage(entry: Active, m: FromWorker): void {
    const { runId, runDir } = entry;
    const l = this.options.listener;
    switch (m.type) {
      case 'started': {
        const now = new Date().toISOString();
        const backend = { name: m.backend.name, reason: `${m.backend.device}: ${m.backend.reason}` };
        void this.write(runId, runDir, (r) => ({ status: 'running', startedAt: r.startedAt ?? now, backend, error: null, lastStep: m.fromStep }), null);
        for (const note of m.notes) l?.log?.(runId, 'warn', note);
        entry.step = m.fromStep;
        entry.trained = true;
        l?.started?.(runId, { backend: m.backend, fromStep: m.fromStep, totalSteps: m.totalSteps });
        break;
      }
      case 'progress':
        entry.step = m.step;
        l?.progress?.(runId, m);
        break;
      case 'preview':
        l?.preview?.(runId, { step: m.step, points: m.points, shape: m.shape, nfe: m.nfe });
        break;
      case 'checkpoint':
        entry.checkpointStep = m.step;
        void this.write(runId, runDir, { lastStep: m.step }, null);
        break;
      case 'log':
        l?.log?.(runId, m.level, m.message);
        break;
      case 'status': {
        entry.step = m.step;
        entry.checkpointStep = m.checkpointStep;
        entry.leaving = m.exiting;
        entry.paused = m.status === 'paused';
        const finished = m.status === 'completed' || m.status === 'cancelled' ? { finishedAt: new Date().toISOString() } : {};
        void this.write(runId, runDir, { status: m.status, lastStep: m.step, error: m.message, ...finished }, m.message);
        break;
      }
      case 'ready':
        break;
    }
  }

  private async onExit(entry: Active, exit: ChildExit, rejectStarted: (e: Error) => void): Promise<void> {
    this.active.delete(entry.runId);
    if (entry.leaving) {
      await this.writes.get(entry.runId);
      return;
    }
    const resumeAt = entry.checkpointStep ?? 0;
    const said = lastErrorLine(exit.stderrTail);
    const message = entry.trained
      ? `the training process ${describeExit(exit)} at step ${entry.step}; resume from step ${resumeAt}`
      : `the training process could not start: it ${describeExit(exit)}${said ? ` (${said})` : ''}`;
    rejectStarted(new StudioError('internal', message));
    const policy = this.policies.get(entry.runId) ?? new RestartPolicy();
    this.policies.set(entry.runId, policy);
    const restart = (this.options.autoRestart ?? true) && entry.trained && policy.recordCrash();
    const note = restart ? `${message} (restarting it)` : (this.options.autoRestart ?? true) && entry.trained ? `${message} (${policy.recent} crashes in 5 minutes: not restarted)` : message;
    await this.write(entry.runId, entry.runDir, { status: 'failed', error: note }, note);
    if (!restart) return;
    try {
      await this.launch(entry.runDir, entry.settings);
    } catch (err) {
      this.options.listener?.log?.(entry.runId, 'error', `restart failed: ${(err as Error).message}`);
    }
  }
}
