// The training supervisor: one worker process per run, its messages turned into run.json updates and events, deaths reported.
import { StudioError } from '../../src-core/errors';
import type { BackendDecision } from '../../src-core/training/backend-decision';
import { isFinal, type RunStatus } from '../../src-core/training/run-status';
import { spawnChild, type ChildHandle } from '../process/child-process';
import { describeExit, lastErrorLine, type ChildExit } from '../process/exit-description';
import { RestartPolicy } from '../process/restart-policy';
import { loadRun, readLatestCheckpoint, readRunRecord, updateRun, type RunRecord, type RunUpdate } from '../runs';
import { fromWorkerSchema, toWorkerSchema, type FromWorker, type ToWorker, type WorkerProgress } from './worker-protocol';
import type { z } from 'zod';
import { workerSettingsSchema } from './worker-protocol';

/** Worker settings as a caller may give them (defaults filled by the schema). */
export type WorkerSettingsInput = z.input<typeof workerSettingsSchema>;

/** What the supervisor tells its owner (the service forwards it as API events, the CLI prints it). */
interface SupervisorListener {
  /** A worker began training: its backend decision and the step it continues from. */
  started?(runId: string, info: { backend: BackendDecision; fromStep: number; totalSteps: number }): void;
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
  /** Backends 'auto' is to pass over, asked at each launch (those the host's probe saw crash or hang). */
  readonly avoidBackends?: () => NonNullable<WorkerSettingsInput['avoidBackends']>;
  readonly env?: NodeJS.ProcessEnv;
  /** Makes the restart policy of a run (tests pass one with their own clock); default 3 crashes in 5 minutes. */
  readonly restartPolicy?: () => RestartPolicy;
  /** Starts a worker process (tests wrap it to widen the time a spawn takes); default spawnChild. */
  readonly spawn?: typeof spawnChild;
}

/** What launch() resolves to once a worker trains. */
interface Launched {
  readonly runId: string;
  readonly fromStep: number;
  readonly backend: string;
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
  /** True once the worker began training (its setup is done and it reported where it starts from). */
  trained: boolean;
  paused: boolean;
  /** The run's status before this worker: a resume that cannot start leaves it as it was. */
  readonly priorStatus: RunStatus;
  /** Settles launch(): resolved once this worker (or the one restarted after it died while starting) trains. */
  readonly start: { resolve(v: Launched): void; reject(e: Error): void };
  ended: Promise<void>;
}

/** Starts, steers and watches training workers; the one writer of each supervised run's run.json. */
export class TrainingSupervisor {
  private readonly active = new Map<string, Active>();
  private readonly policies = new Map<string, RestartPolicy>();
  private readonly writes = new Map<string, Promise<unknown>>();
  /** Runs whose worker is being spawned (not yet in active). */
  private readonly starting = new Set<string>();
  /** Runs told to stop or cancel: a worker of theirs that dies is not restarted. */
  private readonly halted = new Set<string>();
  private closing = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Ids of the runs with a live worker. */
  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  /** True while a worker trains (or holds, paused) this run. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /**
   * Starts a worker on a run folder (resuming from its latest checkpoint); resolves once it trains, rejects if it cannot
   * start. A worker that dies while starting is restarted under the same policy as one that dies while training.
   */
  async launch(runDir: string, settings: WorkerSettingsInput = {}, created?: RunRecord): Promise<Launched> {
    // A run this process has just created comes with its record (its config was checked on the way in); any other is
    // read from disk, where a missing or damaged run.json is rebuilt (the worker's notes say so).
    const record = created ?? (await loadRun(runDir)).record;
    // A run being started counts as training from here: two launches at once (a restart and a resume) must not both
    // pass this check while the first worker is still being spawned, or the run gets two writers.
    if (this.active.has(record.id) || this.starting.has(record.id)) throw new StudioError('invalid-argument', `run ${record.id} is already training`);
    if (isFinal(record.status)) throw new StudioError('invalid-argument', `run ${record.id} is ${record.status}; start a new run to train more`);
    this.halted.delete(record.id);
    this.starting.add(record.id);
    let child: ChildHandle<ToWorker, FromWorker>;
    try {
      child = await (this.options.spawn ?? spawnChild)({ modulePath: this.options.workerPath, name: 'training-worker', toChild: toWorkerSchema, fromChild: fromWorkerSchema, ...(this.options.env ? { env: this.options.env } : {}) });
    } finally {
      this.starting.delete(record.id);
    }
    const avoid = this.options.avoidBackends?.() ?? [];
    const merged = { ...this.options.settings, ...(avoid.length > 0 ? { avoidBackends: avoid } : {}), ...settings };
    let start: Active['start'] = { resolve: () => undefined, reject: () => undefined };
    const started = new Promise<Launched>((resolve, reject) => {
      start = { resolve, reject };
    });
    const entry: Active = {
      runId: record.id, runDir, child, settings, step: record.lastStep, checkpointStep: null, leaving: false, trained: false, paused: false,
      priorStatus: record.status, start, ended: Promise.resolve(),
    };
    entry.ended = child.exited.then((exit) => this.onExit(entry, exit));
    this.active.set(record.id, entry);
    child.onInvalidMessage((problem) => this.options.listener?.log?.(record.id, 'error', `training worker: ${problem}`));
    child.onMessage((m) => {
      if (m.type === 'ready') {
        try {
          child.send({ type: 'start', runDir, settings: merged, ...(this.options.workspace ? { workspace: this.options.workspace } : {}) });
        } catch (err) {
          // settings the worker's schema refuses: the start fails with why, and the idle worker goes
          entry.leaving = true;
          start.reject(err as Error);
          child.kill();
        }
      } else if (m.type === 'status' && m.status === 'failed' && !entry.trained) start.reject(new StudioError(m.failure === 'config' ? 'invalid-argument' : 'internal', m.message ?? 'the run could not start'));
      this.onMessage(entry, m);
      // the start settles once run.json says 'running' (onMessage queued that write), so a list read next shows it training
      if (m.type === 'started') void this.writes.get(record.id)?.then(() => start.resolve({ runId: record.id, fromStep: m.fromStep, backend: m.backend.name }));
    });
    // A failed start rejects only once the worker is gone and run.json says why.
    return started.catch(async (err: Error) => {
      await entry.ended;
      throw err;
    });
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
    this.policies.get(runId)?.reset(); // the person chose to try again: the crash count starts afresh
    await this.launch(runDir);
  }

  /** Ends a run for good after a last checkpoint. */
  async cancel(runDir: string, runId: string): Promise<void> {
    this.halted.add(runId);
    const entry = this.active.get(runId);
    if (entry) {
      entry.child.send({ type: 'cancel' });
      await entry.ended;
      return;
    }
    const record = await readRunRecord(runDir);
    if (isFinal(record.status)) return;
    await this.write(runId, runDir, { status: 'cancelled', finishedAt: new Date().toISOString() }, null);
  }

  /** Checkpoints and ends a run's worker, leaving the run paused (Ctrl-C, app quit). */
  async stop(runId: string): Promise<void> {
    this.halted.add(runId);
    const entry = this.active.get(runId);
    if (!entry) return;
    entry.child.send({ type: 'pause', exit: true });
    await entry.ended;
  }

  /** Stops every worker (each checkpoints first). */
  async stopAll(): Promise<void> {
    this.closing = true;
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
      const record = await updateRun(runDir, update);
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
        // What was repaired on the way (a rebuilt run.json, dropped metrics lines, a damaged checkpoint) reaches the
        // person as the run's error line and this status message, not as a log line nobody reads.
        const notes = m.notes.length > 0 ? m.notes.join('; ') : null;
        void this.write(runId, runDir, (r) => ({ status: 'running', startedAt: r.startedAt ?? now, backend: m.backend, error: notes, lastStep: m.fromStep }), notes);
        entry.step = m.fromStep;
        entry.checkpointStep = m.fromStep;
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
        if (m.status === 'failed' && !entry.trained) {
          // The run could not start. A first start fails the run; a resume leaves it as it was (its checkpoints are
          // untouched), with the reason as its error line.
          const kept = entry.priorStatus === 'created' ? 'failed' : entry.priorStatus === 'running' ? 'paused' : entry.priorStatus;
          void this.write(runId, runDir, { status: kept, error: m.message }, m.message);
          break;
        }
        const finished = isFinal(m.status) ? { finishedAt: new Date().toISOString() } : {};
        void this.write(runId, runDir, { status: m.status, lastStep: m.step, error: m.message, ...finished }, m.message);
        break;
      }
      case 'ready':
        break;
    }
  }

  /** The restart policy of a run, made on its first crash. */
  private policyOf(runId: string): RestartPolicy {
    let policy = this.policies.get(runId);
    if (!policy) {
      policy = this.options.restartPolicy?.() ?? new RestartPolicy();
      this.policies.set(runId, policy);
    }
    return policy;
  }

  /**
   * A worker ended. One that said it was leaving needs nothing more; one that died (killed, crashed, out of memory),
   * while training or while starting, is reported and restarted while the policy allows, else the person is asked.
   */
  private async onExit(entry: Active, exit: ChildExit): Promise<void> {
    const { runId, runDir } = entry;
    this.active.delete(runId);
    if (entry.leaving) {
      await this.writes.get(runId);
      entry.start.reject(new StudioError('internal', 'the training process ended before it trained'));
      return;
    }
    if (entry.trained && entry.paused) {
      // The person paused this run and its checkpoint is on disk: it stays paused for them to resume. A restart would
      // set training a run they stopped.
      const note = `the training process ${describeExit(exit)} while paused at step ${entry.step}; resume continues from step ${await resumeStep(runDir, entry.checkpointStep)}`;
      await this.write(runId, runDir, { status: 'paused', error: note }, note);
      return;
    }
    const said = lastErrorLine(exit.stderrTail);
    const message = entry.trained
      ? `the training process ${describeExit(exit)} at step ${entry.step}; resume from step ${await resumeStep(runDir, entry.checkpointStep)}`
      : `the training process ${describeExit(exit)} while starting${said ? ` (${said})` : ''}`;
    const auto = (this.options.autoRestart ?? true) && !this.closing && !this.halted.has(runId);
    const policy = this.policyOf(runId);
    const restart = auto && policy.recordCrash();
    const note = restart
      ? `${message} (restarting it)`
      : auto ? `${message}; it stopped ${policy.recent} times within 5 minutes, so it is not restarted automatically: resume the run to try again`
      : message;
    // A death while starting leaves the run's status as it was, as a failed resume does.
    const status: RunStatus = entry.trained || entry.priorStatus === 'created' ? 'failed' : entry.priorStatus === 'running' ? 'paused' : entry.priorStatus;
    await this.write(runId, runDir, { status, error: note }, note);
    if (!restart) {
      entry.start.reject(new StudioError('internal', note));
      return;
    }
    try {
      entry.start.resolve(await this.launch(runDir, entry.settings));
    } catch (err) {
      if (entry.trained) this.options.listener?.log?.(runId, 'error', `restart failed: ${(err as Error).message}`);
      entry.start.reject(err as Error);
    }
  }
}

/**
 * The step a resume continues from: the newest checkpoint on disk. A worker killed between committing a checkpoint and
 * saying so leaves a newer one than its last message named; where none reads, the last one it named.
 */
async function resumeStep(runDir: string, named: number | null): Promise<number> {
  try {
    return (await readLatestCheckpoint(runDir))?.checkpoint.step ?? named ?? 0;
  } catch {
    return named ?? 0;
  }
}
