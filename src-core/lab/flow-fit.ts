// Flows the Lab trains and pushes: the studio's own trainer (config, batch builder, backend) on rows held in memory, the trained network as a sampling model, its ODE map and path straightness.
import type { Batch } from '../batch';
import { StudioError } from '../errors';
import type { Model } from '../model';
import { sample } from '../sampling';
import { createSchedule } from '../schedules';
import type { BackendSpec, TrainingBackend } from '../training/backend';
import { parseTrainingConfig, type TrainingConfig, type TrainingConfigInput } from '../training/config';
import { buildModel } from '../training/model-from-config';
import { BatchBuilder, DataSource, Trainer, createRngStreams, freshTrainerState, type BatchSources, type DataRows } from '../training/trainer';
import { pathStraightness } from '../metrics/path-metrics';

/** Makes the backend a network trains on (the Lab's host lends the studio's resolver). */
type BackendFactory = (spec: BackendSpec) => Promise<TrainingBackend>;

/** What to train: a config (the linear path, a velocity), the rows at t = 0 and, or instead, pairs fixed in advance. */
interface FlowFitSpec {
  readonly config: TrainingConfigInput;
  /** The rows at t = 0 (x0: the data end). */
  readonly data: DataRows;
  /** The rows at t = 1 for data-to-data flows; absent means N(0, I) noise. */
  readonly source?: DataRows;
  /** Pairs drawn in place of data, source and the config's coupling (reflow, a precomputed plan). */
  readonly pairs?: BatchSources['pairs'];
  readonly backend: BackendFactory;
  /** Called every few steps with the steps done; await it (it yields and throws on cancel). */
  readonly onSteps?: (done: number, total: number) => Promise<void>;
}

/** A trained flow: its moving-average network as a sampling model on the backend that trained it. */
interface FittedFlow {
  readonly model: Model;
  readonly config: TrainingConfig;
  /** The backend in words, as the studio names it ('onnxruntime on CPU, 2 threads'). */
  readonly backend: string;
  readonly steps: number;
  /** The smoothed training loss at the end. */
  readonly loss: number;
  readonly seconds: number;
  /** The moving-average weights in the network's flat layout, copied out of the backend (to read the network elsewhere, as a run's checkpoint is read). */
  ema(): Promise<Float32Array>;
  /** Frees the backend. */
  dispose(): void;
}

/** Steps between calls of onSteps: a multiple of the 16 steps a small network's compiled step runs per session run. */
const REPORT_EVERY = 32;

/** The network of a backend (EMA weights) as the sampling Model of a velocity on the config's schedule. */
function backendModel(backend: TrainingBackend, config: TrainingConfig): Model {
  return {
    parameterisation: config.objective.parameterisation,
    schedule: createSchedule(config.objective.schedule),
    predict(x: Batch, t: number) {
      const n = x.shape[0];
      const xs = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
      return backend.predict(xs, new Float32Array(n).fill(t), undefined, n, 'ema');
    },
  };
}

/** Trains a flow as the studio trains a run (its config, batch builder, trainer and backend), on rows in memory. */
export async function fitFlow(spec: FlowFitSpec): Promise<FittedFlow> {
  const config = parseTrainingConfig(spec.config);
  if (config.objective.parameterisation !== 'velocity' || config.objective.schedule.name !== 'linear') {
    throw new StudioError('invalid-argument', 'the Lab trains flows on the linear path with a velocity network');
  }
  const d = spec.data.rowSize;
  const model = buildModel(config.model, [d]);
  const streams = createRngStreams(config.seed);
  const state = freshTrainerState(model.layout, streams);
  const o = config.optimiser;
  const backend = await spec.backend({
    graph: model.graph,
    layout: model.layout,
    optimiser: { kind: o.kind, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, gradClip: o.gradClip, emaDecay: config.emaDecay },
    batchSize: config.batchSize,
    state,
  });
  try {
    const data = new DataSource(spec.data, streams.data);
    const builder = new BatchBuilder(config, {
      data,
      streams,
      schedule: createSchedule(config.objective.schedule),
      ...(spec.source ? { source: spec.source } : {}),
      ...(spec.pairs ? { pairs: spec.pairs } : {}),
    });
    const trainer = new Trainer(config, backend, builder, data, streams, 0);
    const started = performance.now();
    let loss = NaN;
    while (!trainer.done) {
      const before = trainer.step;
      // up to REPORT_EVERY steps per call: a backend that unrolls steps runs them in one call
      const reports = await trainer.runSteps(REPORT_EVERY - (before % REPORT_EVERY));
      loss = reports[reports.length - 1].smoothedLoss;
      if (trainer.step % REPORT_EVERY === 0 || trainer.done) await spec.onSteps?.(trainer.step, config.steps);
    }
    return {
      model: backendModel(backend, config),
      config,
      backend: `${backend.name} on ${backend.device}`,
      steps: trainer.step,
      loss,
      seconds: (performance.now() - started) / 1000,
      ema: async () => (await backend.readState()).ema,
      dispose: () => backend.dispose(),
    };
  } catch (err) {
    backend.dispose();
    throw err;
  }
}

/** Where the flow's ODE carries points from t = 1 to t = 0 in `steps` steps of a solver ('euler', 'heun', 'rk4'). */
export async function pushFlow(model: Model, x1: Float32Array, d: number, steps: number, solver: 'euler' | 'heun' | 'rk4', signal?: AbortSignal): Promise<Float32Array> {
  const r = await sample(solver, model, { data: Float32Array.from(x1), shape: [x1.length / d, d] }, { grid: { name: 'uniform', steps, tMin: 0 }, ...(signal ? { cancel: signal } : {}) });
  return r.x.data;
}

/**
 * Straightness E integral ||u(x_t, t) - (x1 - x0)||^2 dt of the flow's own paths from x1 at t = 1 (MATH.md §9), on a
 * uniform grid of `steps` Euler steps (velocities recorded at every grid time, the last at t = 0).
 */
export async function flowStraightness(model: Model, x1: Float32Array, d: number, steps: number): Promise<number> {
  const n = x1.length / d;
  const K = steps + 1;
  const times = Float64Array.from({ length: K }, (_, k) => 1 - k / steps);
  const states = new Float32Array(K * n * d);
  const velocities = new Float32Array(K * n * d);
  let x = Float32Array.from(x1);
  for (let k = 0; k < K; k++) {
    states.set(x, k * n * d);
    const u = await model.predict({ data: x, shape: [n, d] }, times[k]);
    velocities.set(u, k * n * d);
    if (k + 1 < K) {
      const h = times[k + 1] - times[k];
      const next = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) next[i] = x[i] + h * u[i];
      x = next;
    }
  }
  return pathStraightness({ times, states: { data: states, shape: [K, n, d] }, velocities: { data: velocities, shape: [K, n, d] } });
}
