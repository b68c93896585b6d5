// The worker's training session: the loop with metrics, bounded-rate progress, previews, checkpoints, pause, resume and cancel.
import type { TrainingBackend } from '../../src-core/training/backend';
import { NonFiniteLossError, type StepReport } from '../../src-core/training/trainer';
import { writeCheckpoint, type MetricsLog } from '../runs';
import { describeFailure } from './failure';
import { previewSamples } from './preview';
import type { RunSetup } from './run-setup';
import type { FromWorker, WorkerSettings, WorkerStatus } from './worker-protocol';

/** What the session ended with; the worker exits after it. */
type SessionEnd = 'completed' | 'cancelled' | 'paused' | 'failed';

type Command = 'pause' | 'pause-exit' | 'cancel' | 'resume';

// Yield to the event loop at least this often so pause / cancel messages get through between fast steps.
const YIELD_MS = 25;
// Previews start at most every this many times their own duration, so they take at most a fifth of a run's time.
const PREVIEW_SPACING = 5;
// Steps asked of the trainer per call: a backend that unrolls steps runs them in one session run (the per-run cost is
// most of a small network's step); a pause or cancel waits for at most this many steps.
const STEPS_PER_CALL = 16;

/** Runs one worker's training; commands arrive through command(), reports leave through send. */
export class TrainingSession {
  private pending: Command | null = null;
  private wake: (() => void) | null = null;
  private checkpointStep: number | null;
  private readonly metrics: MetricsLog;
  private lastProgressAt = 0;
  private lastProgressStep: number;
  private rate = 0;
  private lastPreviewAt = Date.now();
  private previewGapMs = 0;
  private lastReport: StepReport | null = null;
  private readonly backend: TrainingBackend;

  constructor(
    private readonly setup: RunSetup,
    private readonly settings: WorkerSettings,
    private readonly send: (message: FromWorker) => void,
  ) {
    this.checkpointStep = setup.checkpointStep;
    this.metrics = setup.metrics;
    this.backend = setup.backend;
    this.lastProgressStep = setup.startStep;
  }

  /** Queues a command from the supervisor; it takes effect between steps. */
  command(c: Command): void {
    // 'cancel' and an exiting pause outrank anything queued before them.
    if (this.pending === 'cancel' || (this.pending === 'pause-exit' && c !== 'cancel')) return;
    this.pending = c;
    this.wake?.();
  }

  /** Trains until the end, a cancel, an exiting pause or a failure. */
  async run(): Promise<SessionEnd> {
    const { setup } = this;
    const { trainer, config } = setup;
    try {
      if (this.checkpointStep === null) await this.checkpoint();
      this.status('running', null, null, false);
      // the rate (and so the ETA) counts from here: a slow first step gives an ETA as soon as it ends, not one step later
      this.lastProgressAt = Date.now();
      this.lastProgressStep = trainer.step;
      let lastYield = Date.now();
      const stopAt = Math.min(config.steps, this.settings.stopAfterStep ?? config.steps);
      while (trainer.step < stopAt) {
        if (Date.now() - lastYield >= YIELD_MS) {
          await new Promise<void>((r) => setImmediate(r));
          lastYield = Date.now();
        }
        const end = await this.handleCommand();
        if (end) return end;
        let reports: StepReport[];
        try {
          // several steps per backend call where the backend runs them in one (never past a checkpoint or the end)
          reports = await trainer.runSteps(Math.min(STEPS_PER_CALL, stopAt - trainer.step));
        } catch (err) {
          if (err instanceof NonFiniteLossError) for (const r of err.before) this.record(r);
          return await this.fail(err);
        }
        for (const r of reports) this.record(r);
        if (trainer.step % config.checkpointEvery === 0) await this.checkpoint();
        if (this.settings.previewIntervalMs > 0 && Date.now() - this.lastPreviewAt >= Math.max(this.settings.previewIntervalMs, this.previewGapMs)) await this.preview();
      }
      this.progress(true);
      if (this.checkpointStep !== trainer.step) await this.checkpoint();
      if (trainer.step < config.steps) {
        this.status('paused', null, null, true);
        return 'paused';
      }
      if (this.settings.previewIntervalMs > 0) await this.preview();
      this.status('completed', null, null, true);
      return 'completed';
    } catch (err) {
      return await this.fail(err);
    } finally {
      await this.metrics.close().catch(() => undefined);
    }
  }

  /** Logs a finished step and reports progress (at a bounded rate). */
  private record(report: StepReport): void {
    this.lastReport = report;
    this.metrics.append({ step: report.step, loss: report.loss, smoothedLoss: report.smoothedLoss, lr: report.lr, gradNorm: report.gradNorm, stepsPerSec: this.rate, time: Date.now() });
    this.progress(false);
  }

  /** Applies a queued command; returns how the session ends if it does. */
  private async handleCommand(): Promise<SessionEnd | null> {
    while (this.pending !== null) {
      const c = this.pending;
      this.pending = null;
      if (c === 'resume') continue;
      await this.saveIfNeeded();
      if (c === 'cancel') {
        this.status('cancelled', null, null, true);
        return 'cancelled';
      }
      this.status('paused', null, null, c === 'pause-exit');
      if (c === 'pause-exit') return 'paused';
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
      const next = this.pending as Command | null;
      if (next === 'resume') {
        this.pending = null;
        this.lastProgressAt = 0;
        this.lastProgressStep = this.setup.trainer.step;
        this.status('running', null, null, false);
      }
    }
    return null;
  }

  private async saveIfNeeded(): Promise<void> {
    this.progress(true);
    if (this.checkpointStep !== this.setup.trainer.step) await this.checkpoint();
    else await this.metrics.flush();
  }

  private async fail(err: unknown): Promise<SessionEnd> {
    const step = this.setup.trainer.step;
    const { kind, message } = describeFailure(err, step, this.checkpointStep, 'training');
    // Record where it broke; no checkpoint is written, so the last one stays the last good state.
    if (err instanceof NonFiniteLossError) this.metrics.append({ step: err.step, loss: err.loss, gradNorm: err.gradNorm, time: Date.now() });
    await this.metrics.flush().catch(() => undefined);
    this.status('failed', message, kind, true);
    return 'failed';
  }

  private async checkpoint(): Promise<void> {
    const { setup } = this;
    await this.metrics.flush(); // the log must reach the checkpoint's step before the checkpoint commits
    const state = await this.backend.readState();
    const loop = setup.trainer.loopState();
    const file = await writeCheckpoint(
      setup.runDir,
      {
        step: loop.step, weights: state.params, ema: state.ema, optimiser: { step: state.step, m: state.m, v: state.v },
        rng: loop.rng, dataCursor: loop.dataCursor, configHash: setup.record.configHash, backend: this.backend.name,
      },
      { keep: setup.config.keepCheckpoints },
    );
    this.checkpointStep = loop.step;
    this.send({ type: 'checkpoint', step: loop.step, file });
  }

  private progress(force: boolean): void {
    const now = Date.now();
    const r = this.lastReport;
    if (!r || (!force && now - this.lastProgressAt < this.settings.progressIntervalMs)) return;
    if (this.lastProgressAt > 0 && now > this.lastProgressAt) {
      const measured = ((r.step - this.lastProgressStep) * 1000) / (now - this.lastProgressAt);
      this.rate = this.rate === 0 ? measured : 0.7 * this.rate + 0.3 * measured;
    }
    this.lastProgressAt = now;
    this.lastProgressStep = r.step;
    const total = this.setup.config.steps;
    const plans = this.setup.trainer.entropicPlans();
    this.send({
      type: 'progress', step: r.step, totalSteps: total, loss: r.loss, smoothedLoss: r.smoothedLoss, lr: r.lr, gradNorm: r.gradNorm,
      stepsPerSec: this.rate, etaSec: this.rate > 0 ? (total - r.step) / this.rate : null, backend: this.backend.name,
      ...(plans ? { coupling: plans } : {}),
    });
  }

  private async preview(): Promise<void> {
    const { setup, settings } = this;
    this.lastPreviewAt = Date.now();
    const step = setup.trainer.step;
    const label = setup.nullClass !== undefined ? (setup.config.model.labelDropout > 0 ? setup.nullClass : 0) : undefined;
    let out;
    try {
      out = await previewSamples(
      { backend: this.backend, parameterisation: setup.parameterisation, schedule: setup.schedule, itemShape: setup.itemShape, normalisation: setup.normalisation, ...(label !== undefined ? { label } : {}), ...(setup.source ? { source: setup.source } : {}) },
      settings.previewPoints, settings.previewSteps, (setup.config.seed + step) % 2 ** 32,
      );
    } catch (err) {
      // A preview is for watching; it must not stop the training.
      this.send({ type: 'log', level: 'warn', message: `preview at step ${step} failed: ${(err as Error).message}` });
      return;
    } finally {
      this.previewGapMs = PREVIEW_SPACING * (Date.now() - this.lastPreviewAt);
    }
    this.send({ type: 'preview', step, points: out.points, shape: out.shape, nfe: out.nfe });
  }

  private status(status: WorkerStatus['status'], message: string | null, failure: 'non-finite' | 'out-of-memory' | 'config' | 'error' | null, exiting: boolean): void {
    this.send({ type: 'status', status, step: this.setup.trainer.step, checkpointStep: this.checkpointStep, message, failure, exiting });
  }
}
