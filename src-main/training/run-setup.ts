// Everything a worker builds before its first step: config, data, network, state (fresh or from the latest checkpoint), backend.
import { dirname, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import type { Parameterisation } from '../../src-core/model';
import type { Normalisation } from '../../src-core/normalisation';
import { createSchedule } from '../../src-core/schedules';
import type { Schedule } from '../../src-core/schedules/schedule';
import type { BackendChoice, BackendSpec, TrainerState, TrainingBackend } from '../../src-core/training/backend';
import type { BackendDecision } from '../../src-core/training/backend-decision';
import type { TrainingConfig } from '../../src-core/training/config';
import { buildModel } from '../../src-core/training/model-from-config';
import {
  BatchBuilder, DataSource, Trainer, createRngStreams, freshTrainerState, restoreRngStreams, type DataRows,
} from '../../src-core/training/trainer';
import { MetricsLog, loadRun, readLatestCheckpoint, readMetrics, type RunRecord } from '../runs';
import { writeFileAtomic } from '../workspace/atomic-write';
import { loadData } from './load-data';
import { NORMALISATION_FILE, normalisationFileText } from './normalisation-file';

/** A chosen backend and the decision the run records (how it was chosen, what was tried first). */
export interface ChosenBackend {
  readonly backend: TrainingBackend;
  readonly decision: BackendDecision;
}

/** Picks and creates a backend for a preference ('auto' or a name). */
type ResolveBackend = (preference: BackendChoice, spec: BackendSpec) => Promise<ChosenBackend>;

/** A run ready to train. */
export interface RunSetup {
  readonly runDir: string;
  readonly config: TrainingConfig;
  readonly record: RunRecord;
  readonly backend: TrainingBackend;
  readonly backendDecision: BackendDecision;
  readonly trainer: Trainer;
  readonly startStep: number;
  /** The step of the checkpoint on disk, null if none yet. */
  readonly checkpointStep: number | null;
  /** The run's metrics log, opened (and repaired) up to the start step. */
  readonly metrics: MetricsLog;
  /** What was repaired or skipped on the way (a rebuilt run.json, a damaged checkpoint, dropped metrics lines). */
  readonly notes: string[];
  readonly schedule: Schedule;
  readonly parameterisation: Parameterisation;
  readonly itemShape: readonly number[];
  readonly normalisation: Normalisation | null;
  readonly nullClass?: number;
  readonly source?: DataRows;
}

/** The workspace of a run at <workspace>/runs/<id>, or the one given. */
function workspaceOf(runDir: string, given: string | undefined): string {
  return given ?? dirname(dirname(runDir));
}

/** Loads a run and builds its trainer on a backend; resumes from the latest checkpoint when there is one. */
export async function setupRun(runDir: string, resolve: ResolveBackend, options: { backend?: BackendChoice; workspace?: string }): Promise<RunSetup> {
  const { config, record, notes: runNotes } = await loadRun(runDir);
  const workspace = workspaceOf(runDir, options.workspace);
  const data = await loadData(config.data, workspace);
  const source = config.source ? await loadData(config.source, workspace) : undefined;
  if (source && source.rows.rowSize !== data.rows.rowSize) throw new StudioError('invalid-shape', `the source set's items have ${source.rows.rowSize} numbers, the data's ${data.rows.rowSize}`);
  if (config.model.classes !== null && !data.rows.labels) throw new StudioError('invalid-argument', `model.classes is ${config.model.classes} but the data set has no labels`);
  const model = buildModel(config.model, data.itemShape);
  const schedule = createSchedule(config.objective.schedule);
  const latest = await readLatestCheckpoint(runDir);
  const notes = [...runNotes, ...(latest ? latest.problems : [])];
  let state: TrainerState;
  let streams;
  let startStep = 0;
  let cursor;
  if (latest) {
    const c = latest.checkpoint;
    if (c.configHash !== record.configHash) throw new StudioError('invalid-argument', `${latest.file} was written under another config (hash ${c.configHash.slice(0, 12)}), not this run's`);
    if (c.weights.length !== model.layout.size) throw new StudioError('invalid-shape', `${latest.file} holds ${c.weights.length} weights, the network has ${model.layout.size}`);
    state = { step: c.optimiser.step, params: c.weights, m: c.optimiser.m, v: c.optimiser.v, ema: c.ema };
    streams = restoreRngStreams(c.rng);
    startStep = c.step;
    cursor = c.dataCursor;
  } else {
    streams = createRngStreams(config.seed);
    state = freshTrainerState(model.layout, streams);
    await writeFileAtomic(join(runDir, NORMALISATION_FILE), normalisationFileText(data.normalisation, source, data.rows.rowSize));
  }
  const dataSource = new DataSource(data.rows, streams.data, cursor);
  const nullClass = model.nullClass;
  const builder = new BatchBuilder(config, { data: dataSource, streams, schedule, ...(source ? { source: source.rows } : {}), ...(nullClass !== undefined ? { nullClass } : {}) });
  const o = config.optimiser;
  const spec: BackendSpec = {
    graph: model.graph,
    layout: model.layout,
    optimiser: { kind: o.kind, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, gradClip: o.gradClip, emaDecay: config.emaDecay },
    batchSize: config.batchSize,
    state,
  };
  const chosen = await resolve(options.backend ?? config.backend, spec);
  const trainer = new Trainer(config, chosen.backend, builder, dataSource, streams, startStep);
  // The log follows the checkpoint: records after its step belong to the lost continuation, damaged lines are dropped.
  const metrics = await MetricsLog.open(runDir, { truncateAfterStep: startStep });
  notes.push(...metrics.notes);
  if (startStep > 0) {
    // The smoothed loss is for display only; pick it up from the log so the chart does not restart from one step.
    const m = await readMetrics(runDir, { fromStep: startStep });
    if (m.step.length > 0 && m.step[0] === startStep) trainer.smoothed.restore(m.smoothedLoss[0], startStep);
  }
  return {
    runDir, config, record, backend: chosen.backend, backendDecision: chosen.decision, trainer, startStep,
    checkpointStep: latest ? latest.checkpoint.step : null, metrics, notes, schedule,
    parameterisation: config.objective.parameterisation, itemShape: data.itemShape, normalisation: data.normalisation,
    ...(nullClass !== undefined ? { nullClass } : {}), ...(source ? { source: source.rows } : {}),
  };
}
