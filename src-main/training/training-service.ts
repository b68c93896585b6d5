// Training methods of the API over one workspace: runs created in the run store, trained by supervised worker processes.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from '../../src-core/api/contract';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import type { EventHub } from '../../src-core/api/event-hub';
import type { RunSummary, TRAINING_METHODS } from '../../src-core/api/methods/training';
import { StudioError } from '../../src-core/errors';
import { parseTrainingConfig, type TrainingConfig } from '../../src-core/training/config';
import { describeConfig, type SavedNames } from '../../src-core/training/describe';
import { readDatasetMeta } from '../datasets/dataset-folder';
import { listRuns, loadRun, readMetrics, updateRun, type RunRecord } from '../runs';
import { sweepRunLeftovers } from '../runs/run-delete';
import { BackendProbe, probePathBeside } from './probe/backend-probe';
import { RunFolders } from './run-folder';
import { deleteRun } from './run-deletion';
import { TrainingSupervisor, type WorkerSettingsInput } from './supervisor';

/** Settings of the training service. */
export interface TrainingServiceOptions {
  /** The built worker entry; default training-worker.js beside this module's bundle (out/main/). */
  readonly workerPath?: string;
  readonly autoRestart?: boolean;
  readonly settings?: WorkerSettingsInput;
  /** The built backend-probe entry; default backend-probe.js beside the worker. */
  readonly probePath?: string;
  /** Where runs are found by id (and whether calls may name run folders by path); default the workspace's runs folder only. */
  readonly runs?: RunFolders;
  /**
   * Mark runs that a studio left 'running' as paused and sweep what interrupted deletes left (default true). A host that
   * does not own the workspace (the command line, while the app may have it open) leaves its runs alone.
   */
  readonly recover?: boolean;
}

/** The built worker: out/main/training-worker.js, found from this code's bundle (an entry in out/main/ or a chunk in out/main/chunks/). */
function defaultWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'training-worker.js'), join(here, '..', 'training-worker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** The training part of the API. */
export class TrainingService {
  readonly supervisor: TrainingSupervisor;
  /** What can train and sample here, probed once on first request and kept for the life of the service. */
  readonly backends: BackendProbe;
  private readonly recovered: Promise<void>;
  /** Each run's config as validated when it entered this process (created here, or read from disk), so a status event reads no file. */
  private readonly configs = new Map<string, TrainingConfig>();
  /** Runs deleted while this service runs: a status event of theirs still under way is dropped. */
  private readonly deleted = new Set<string>();
  private readonly runs: RunFolders;

  constructor(
    private readonly workspace: string,
    private readonly events: EventHub,
    options: TrainingServiceOptions = {},
  ) {
    this.runs = options.runs ?? new RunFolders(workspace);
    this.supervisor = new TrainingSupervisor({
      workerPath: options.workerPath ?? defaultWorkerPath(),
      workspace,
      ...(options.autoRestart !== undefined ? { autoRestart: options.autoRestart } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      // a backend that crashed the probe process would crash the worker too
      avoidBackends: () => this.backends.crashed(),
      listener: {
        started: (id, s) => this.events.emit('training.started', { runId: id, ...s }),
        progress: (id, p) => this.events.emit('training.progress', { runId: id, step: p.step, totalSteps: p.totalSteps, loss: p.loss, smoothedLoss: p.smoothedLoss, lr: p.lr, gradNorm: p.gradNorm, stepsPerSec: p.stepsPerSec, etaSec: p.etaSec, backend: p.backend, ...(p.coupling ? { coupling: p.coupling } : {}) }),
        preview: (id, p) => this.events.emit('training.preview', { runId: id, ...p }),
        status: (id, record, message) => {
          // a run deleted meanwhile has no summary to send
          void this.summaryOf(id, record).then((run) => this.events.emit('training.status', { run, message }), () => undefined);
        },
        log: (id, level, message) => this.events.emit('training.log', { runId: id, level, message }),
      },
    });
    this.events.on('training.deleted', ({ runId }) => {
      this.deleted.add(runId);
      this.configs.delete(runId);
    });
    this.recovered = options.recover === false ? Promise.resolve() : this.recover();
    this.backends = new BackendProbe({ probePath: options.probePath ?? probePathBeside(options.workerPath ?? defaultWorkerPath()) });
  }

  /** The handlers of the training methods of the API. */
  handlers(): DomainHandlers<typeof TRAINING_METHODS> {
    return {
      'training.start': (p) => this.start(p.config, p.name, p.dir),
      'training.open': async (p) => {
        const run = await this.runs.open(p.dir);
        return { run: await this.summary(run.record, run.config) };
      },
      'training.wait': async (p) => {
        this.runs.dirOf(p.runId); // refuses a string that is no run id
        // a worker that died may be restarted: wait until none holds the run
        while (this.supervisor.isActive(p.runId)) await this.supervisor.waitForExit(p.runId);
        return this.get(p.runId);
      },
      'training.pause': async (p) => {
        this.supervisor.pause(p.runId);
        return {};
      },
      'training.resume': async (p) => {
        await this.recovered;
        await this.supervisor.resume(this.runs.dirOf(p.runId), p.runId);
        return {};
      },
      'training.cancel': async (p) => {
        await this.supervisor.cancel(this.runs.dirOf(p.runId), p.runId);
        return {};
      },
      'training.delete': async (p) => {
        await this.recovered;
        await deleteRun(this.workspace, this.supervisor, this.events, p.runId);
        return {};
      },
      'training.rename': (p) => this.rename(p.runId, p.name),
      'training.list': () => this.list(),
      'training.get': (p) => this.get(p.runId),
      'training.metrics': (p) => this.metrics(p.runId, p.fromStep, p.maxPoints),
      'training.backends': () => this.backends.report(),
    };
  }

  /** Validates a config, creates the run (in the workspace, or in the folder dir) and starts its worker; resolves once it trains. */
  async start(config: unknown, name?: string, dir?: string): Promise<{ runId: string }> {
    const valid = parseTrainingConfig(config); // a typed invalid-argument error naming each bad field
    const { id, dir: folder, record } = await this.runs.create(valid, name, dir);
    this.deleted.delete(id); // a folder named run may take the id of one deleted before
    this.configs.set(id, valid);
    await this.supervisor.launch(folder, {}, record);
    return { runId: id };
  }

  /** Renames a run; lists follow through the status event. */
  async rename(id: string, name: string): Promise<Result<'training.rename'>> {
    const { config } = await this.load(id);
    const record = await this.supervisor.rename(id, this.runs.dirOf(id), name);
    return { run: await this.summary(record, config) };
  }

  /** Every run with its status. */
  async list(): Promise<Result<'training.list'>> {
    const { runs, unreadable } = await listRuns(this.workspace);
    return { runs: await Promise.all(runs.map((r) => this.summary(r.record, r.config))), unreadable };
  }

  /** One run's record and config. */
  async get(id: string): Promise<Result<'training.get'>> {
    const run = await this.load(id);
    return { run: await this.summary(run.record, run.config), config: run.config };
  }

  /** A run's metrics as columns, optionally from a step and downsampled. */
  async metrics(id: string, fromStep?: number, maxPoints?: number): Promise<Result<'training.metrics'>> {
    const dir = this.runs.dirOf(id);
    await this.load(id);
    const m = await readMetrics(dir, { ...(fromStep !== undefined ? { fromStep } : {}), ...(maxPoints !== undefined ? { maxPoints } : {}) });
    const col = (a: Float64Array): Float64Array<ArrayBuffer> => new Float64Array(a);
    return { total: m.total, step: col(m.step), loss: col(m.loss), smoothedLoss: col(m.smoothedLoss), lr: col(m.lr), gradNorm: col(m.gradNorm), stepsPerSec: col(m.stepsPerSec), time: col(m.time) };
  }

  /** Stops every worker with a checkpoint (app quit). */
  shutdown(): Promise<void> {
    return Promise.all([this.supervisor.stopAll(), this.backends.close()]).then(() => undefined);
  }

  private async load(id: string): Promise<{ record: RunRecord; config: TrainingConfig }> {
    try {
      return await loadRun(this.runs.dirOf(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || /ENOENT|no such file/.test((err as Error).message)) throw new StudioError('not-found', `no run '${id}' in ${this.workspace}`);
      throw err;
    }
  }

  private async summary(record: RunRecord, config: TrainingConfig): Promise<RunSummary> {
    if (!this.deleted.has(record.id)) this.configs.set(record.id, config);
    return {
      id: record.id, name: record.name, status: record.status, createdAt: record.createdAt, updatedAt: record.updatedAt,
      startedAt: record.startedAt, finishedAt: record.finishedAt, lastStep: record.lastStep, totalSteps: config.steps,
      backend: record.backend, error: record.error, active: this.supervisor.isActive(record.id), describe: describeConfig(config, await this.savedNames(config)),
    };
  }

  /** The names of the saved sets a run trains on (read from their meta.json; a deleted set has none). */
  private async savedNames(config: TrainingConfig): Promise<SavedNames> {
    const name = async (ref: TrainingConfig['data'] | null) => (ref?.source === 'workspace' ? ((await readDatasetMeta(this.workspace, ref.id).catch(() => null))?.name ?? null) : null);
    return { data: await name(config.data), source: await name(config.source) };
  }

  /** The summary a status event carries; rejects for a run deleted meanwhile, which has no summary to send. */
  private async summaryOf(id: string, record: RunRecord): Promise<RunSummary> {
    const config = this.configs.get(id) ?? (await this.load(id)).config;
    const run = await this.summary(record, config);
    if (this.deleted.has(id)) throw new StudioError('not-found', `run '${id}' was deleted`);
    return run;
  }

  /**
   * Runs left 'running' by a studio that died have no worker now: mark them paused so they can be resumed. A run.json
   * that had to be rebuilt from the checkpoints is written back, its note as the run's error line.
   */
  private async recover(): Promise<void> {
    // what an interrupted delete (or a create cut short long ago) left in runs/ goes first
    await sweepRunLeftovers(this.workspace).catch(() => undefined);
    const { runs } = await listRuns(this.workspace).catch(() => ({ runs: [] }));
    for (const r of runs) {
      if (this.supervisor.isActive(r.id)) continue;
      if (r.record.status === 'running') {
        await updateRun(r.dir, { status: 'paused', error: `the studio closed while this run trained; resume continues from its last checkpoint (step ${r.record.lastStep})` }).catch(() => undefined);
      } else if (r.notes.length > 0) {
        await updateRun(r.dir, {}).catch(() => undefined);
      }
    }
  }
}
