// One run's optimisation loop over any TrainingBackend: batches, learning rate, loss smoothing and the non-finite stop.
import { StudioError } from '../../errors';
import type { ParamLayout } from '../../graph/param-layout';
import { initParams } from '../../graph/param-layout';
import type { RngState } from '../../rng';
import type { StepResult, TrainerState, TrainingBackend } from '../backend';
import type { EntropicPlanCounts } from '../../coupling/plan-counts';
import type { TrainingConfig } from '../config';
import type { BatchBuilder } from './batch-builder';
import type { DataCursor, DataSource } from './data-source';
import { learningRate } from './lr-schedule';
import { rngStates, type RngStreams } from './rng-streams';
import { SmoothedLoss } from './smoothed-loss';

/** What one step reports. */
export interface StepReport {
  /** Steps completed, this one included. */
  readonly step: number;
  readonly loss: number;
  readonly smoothedLoss: number;
  readonly lr: number;
  readonly gradNorm: number;
}

/** The loop's own part of a checkpoint (the backend holds weights, moments and EMA). */
interface LoopState {
  readonly step: number;
  readonly rng: Record<string, RngState>;
  readonly dataCursor: DataCursor;
}

/** The error a non-finite loss or gradient raises; `step` is the step that produced it. */
export class NonFiniteLossError extends StudioError {
  /** Builds the message naming the step and the value; `before` holds the reports of the good steps run in the same call. */
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly gradNorm: number,
    readonly before: readonly StepReport[] = [],
  ) {
    const what = Number.isFinite(loss) ? `the gradient norm became ${gradNorm} (loss ${loss.toPrecision(4)})` : `the loss became ${loss}`;
    super('not-finite', `${what} at step ${step}; lower the learning rate or enable gradient clipping`);
    this.name = 'NonFiniteLossError';
  }
}

/** A fresh state for a run: weights drawn from the layout's initialisers with the 'init' stream, zero moments, EMA = weights. */
export function freshTrainerState(layout: ParamLayout, streams: RngStreams): TrainerState {
  const params = initParams(layout, streams.init);
  return { step: 0, params, m: new Float32Array(layout.size), v: new Float32Array(layout.size), ema: params.slice() };
}

/** Steps a backend through a run; everything random comes from the streams, so a restored loop continues bit for bit. */
export class Trainer {
  private completed: number;
  readonly smoothed = new SmoothedLoss();

  /** startStep: steps already completed (0 for a fresh run, the checkpoint's step on resume). */
  constructor(
    private readonly config: TrainingConfig,
    private readonly backend: TrainingBackend,
    private readonly builder: BatchBuilder,
    private readonly data: DataSource,
    private readonly streams: RngStreams,
    startStep: number,
  ) {
    this.completed = startStep;
  }

  /** Steps completed so far. */
  get step(): number {
    return this.completed;
  }

  /** For an entropic coupling (Sinkhorn or Schrödinger bridge), how this session's batches were drawn; null for the others. */
  entropicPlans(): EntropicPlanCounts | null {
    const c = this.config.coupling;
    return typeof c === 'object' && !('ot' in c) ? this.builder.entropicPlans() : null;
  }

  /** True once every configured step has run. */
  get done(): boolean {
    return this.completed >= this.config.steps;
  }

  /** The learning rate the next step will use. */
  nextLr(): number {
    return learningRate(this.config.optimiser, this.completed, this.config.steps);
  }

  /** Runs one optimisation step; throws NonFiniteLossError when the loss or gradient norm is NaN or infinite. */
  async runStep(): Promise<StepReport> {
    const lr = this.nextLr();
    const batch = this.builder.next();
    return this.record(await this.backend.step(batch, lr), lr, []);
  }

  /**
   * Runs up to `max` steps, in one backend call where the backend offers steps(), never past the run's end or the next
   * multiple of checkpointEvery, so checkpoints fall where single steps put them; reports every step. Batches are drawn
   * in the same order as by single steps and nothing between two steps reads the model, so the result is the same.
   * A non-finite step throws NonFiniteLossError carrying the reports of the steps before it.
   */
  async runSteps(max: number): Promise<StepReport[]> {
    const every = this.config.checkpointEvery;
    const k = Math.max(0, Math.min(Math.floor(max), this.config.steps - this.completed, every - (this.completed % every)));
    const reports: StepReport[] = [];
    if (k > 1 && this.backend.steps) {
      const lrs = Array.from({ length: k }, (_, j) => learningRate(this.config.optimiser, this.completed + j, this.config.steps));
      const results = await this.backend.steps(() => this.builder.next(), lrs);
      results.forEach((r, j) => reports.push(this.record(r, lrs[j], reports)));
    } else {
      for (let j = 0; j < k; j++) {
        const lr = this.nextLr();
        reports.push(this.record(await this.backend.step(this.builder.next(), lr), lr, reports));
      }
    }
    return reports;
  }

  /** Counts a step's result as the next step, or throws NonFiniteLossError (with the call's earlier reports). */
  private record({ loss, gradNorm }: StepResult, lr: number, before: readonly StepReport[]): StepReport {
    const step = this.completed + 1;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new NonFiniteLossError(step, loss, gradNorm, [...before]);
    this.completed = step;
    return { step, loss, smoothedLoss: this.smoothed.update(loss), lr, gradNorm };
  }

  /** The loop's state to store beside the backend's in a checkpoint. */
  loopState(): LoopState {
    return { step: this.completed, rng: rngStates(this.streams), dataCursor: this.data.cursor() };
  }
}
