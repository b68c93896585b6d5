// The sampling service: any sampler of the engine on an ONNX model file or the oracle, with noise, labels, guidance, records, progress and cancel;
// the likelihood of data under the same models.
import { randomBytes } from 'node:crypto';
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import { parseOrThrow } from '../../src-core/validation';
import type { EventHub } from '../../src-core/api/event-hub';
import {
  SAMPLING_METHODS, likelihoodRequestSchema, samplingRequestSchema,
  type LikelihoodRequest, type LikelihoodResult, type SamplingModel, type SamplingParams, type SamplingRequest, type SamplingResult,
} from '../../src-core/api/methods/sampling';
import { StudioError } from '../../src-core/errors';
import type { Model } from '../../src-core/model';
import { denormalise, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { createOracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { SAMPLER_OPTION_NAMES, sample, samplers, type SamplerOptionValues, type StepInfo } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { pointsLikelihood } from './likelihood-run';
import { runDir } from '../runs';
import { LiveModels } from './live-model';
import { samplingModel } from './onnx-model';
import { createChildProcessRunner, findSamplingWorker } from './child-runner';
import { createInProcessRunner, type OnnxRunner } from './onnx-runner';
import { checkUsable, finiteGuard } from './finite-guard';

/** Samples used when a request gives neither n nor noise. */
const DEFAULT_COUNT = 1000;
/** Longest stretch of in-process model evaluations before the event loop gets a turn (ms). */
const SLICE_MS = 15;

/** A resolved model: the Model to sample, its item shape and the file's metadata (null for the oracle, which computes in float64). */
interface ResolvedModel {
  readonly model: Model;
  readonly itemShape: readonly number[];
  readonly meta: StudioModelMeta | null;
}

/** What sampling.progress reports of a step. */
type Progress = { step: number; total: number | null; t: number; nfe: number };

/**
 * ONNX Runtime in its own process when the built worker (out/main/sampling-worker.js) is there, as in the app, the
 * server and the CLI; in this process when the code runs from source (unit tests), where no worker bundle exists.
 */
function defaultOnnxRunner(): OnnxRunner {
  const worker = findSamplingWorker();
  return worker ? createChildProcessRunner({ workerPath: worker }) : createInProcessRunner();
}

/** The sampling part of the API; the CLI calls run() directly. */
export class SamplingService {
  private readonly running = new Map<string, AbortController>();
  private readonly live: LiveModels | null;

  constructor(
    private readonly events: EventHub | null = null,
    private readonly runner: OnnxRunner = defaultOnnxRunner(),
    /** Where `{kind: 'run'}` finds a run: a workspace's runs folder, or the folder of each run id; null where there are no runs. */
    runs: string | ((runId: string) => string) | null = null,
  ) {
    this.live = runs === null ? null : new LiveModels(typeof runs === 'string' ? (id) => runDir(runs, id) : runs);
  }

  /** The handlers of the sampling methods of the API. */
  handlers(): DomainHandlers<typeof SAMPLING_METHODS> {
    return {
      'sampling.run': (p) => this.run(p),
      'sampling.likelihood': (p) => this.likelihood(p),
      'sampling.cancel': (p) => ({ cancelled: this.cancel(p.id) }),
      'sampling.samplers': () =>
        samplers.names().map((name) => {
          const s = samplers.get(name);
          return { name, label: s.label, kind: s.kind, nfePerStep: s.nfePerStep, stochastic: s.stochastic, noiseWhen: s.noiseWhen ?? null, options: s.options.map((o) => ({ ...o })) };
        }),
    };
  }

  /** Stops a run between network evaluations; false if no run has that id. */
  cancel(id: string): boolean {
    const c = this.running.get(id);
    c?.abort();
    return c !== undefined;
  }

  /** Releases the model sessions. */
  close(): Promise<void> {
    return this.runner.close();
  }

  private async resolve(m: SamplingModel, labels: Int32Array | null, guidance: number | undefined): Promise<ResolvedModel> {
    if (m.kind === 'onnx' || m.kind === 'run') {
      const handle = await this.runner.open(m.kind === 'onnx' ? m.path : await this.liveModel(m.runId));
      return { model: samplingModel(this.runner, handle, labels, guidance), itemShape: handle.meta.dataShape, meta: handle.meta };
    }
    if (labels || guidance !== undefined) throw new StudioError('invalid-argument', 'the oracle is unconditional: labels and guidance do not apply');
    const oracle = createOracle(m.mixture, createSchedule(m.schedule), m.parameterisation);
    return { model: yielding(oracle), itemShape: [oracle.dim], meta: null };
  }

  /** Runs work under an id that sampling.cancel can name, reporting its steps as 'sampling.progress'. */
  private async track<T>(requested: string | undefined, work: (id: string, signal: AbortSignal, progress: (info: Progress) => void) => Promise<T>): Promise<T> {
    const id = requested ?? randomBytes(6).toString('hex');
    if (this.running.has(id)) throw new StudioError('invalid-argument', `a sampling run named '${id}' is already running`);
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      return await work(id, controller.signal, (info) => this.events?.emit('sampling.progress', { id, ...info }));
    } finally {
      this.running.delete(id);
    }
  }

  /** The run's latest checkpoint as a studio-format file (a run that is still training samples its newest EMA weights). */
  private liveModel(runId: string): Promise<string> {
    if (!this.live) throw new StudioError('invalid-argument', 'sampling from a run needs the studio workspace; export the run and sample the file');
    return this.live.path(runId);
  }

  /** Runs one request to the end; onStep (and the 'sampling.progress' event) follows each step. */
  async run(request: SamplingRequest, onStep?: (info: StepInfo) => void): Promise<SamplingResult> {
    const p = parseOrThrow(samplingRequestSchema, request, 'sampling request');
    samplers.get(p.sampler); // an unknown name fails here, before any model is loaded, listing the known ones
    return this.track(p.id, async (id, signal, progress) => {
      const started = performance.now();
      const { model, itemShape, meta } = await this.resolve(p.model, p.labels ?? null, p.guidance);
      const d = itemShape.reduce((a, b) => a * b, 1);
      const rng = new Rng(p.seed);
      const n = p.noise ? noiseRows(p.noise, d, itemShape, p.n) : (p.n ?? DEFAULT_COUNT);
      if (p.labels && p.labels.length !== n) throw new StudioError('invalid-shape', `${p.labels.length} labels for ${n} samples`);
      // explicit noise is standard normal; both kinds start at the prior N(0, sigma(tMax)^2 I)
      const x = p.noise ? Float32Array.from(p.noise) : rng.fillNormal(new Float32Array(n * d));
      const sigmaMax = model.schedule.sigma(p.tMax ?? 1);
      for (let i = 0; i < x.length; i++) x[i] *= sigmaMax;
      const indices = recordIndices(p.record, n);
      // A damaged model or a diverging run gives NaN or huge values: the run fails naming the step, never returns them.
      let done = 0;
      let total: number | null = samplers.get(p.sampler).nfePerStep === 'adaptive' ? null : p.steps;
      const place = (t: number) => ({ step: total !== null ? Math.min(done + 1, total) : done + 1, total, t });
      const result = await sample(p.sampler, finiteGuard(model, place), { data: x, shape: [n, ...itemShape] }, {
        grid: { name: p.grid, steps: p.steps, ...(p.tMax !== undefined ? { tMax: p.tMax } : {}), ...(p.tMin !== undefined ? { tMin: p.tMin } : {}) },
        rng,
        cancel: signal,
        ...samplerOptionsOf(p),
        ...(indices ? { record: { indices } } : {}),
        denoiseLast: p.denoiseLast,
        onStep: (info) => {
          done = info.step;
          total = info.total;
          onStep?.(info);
          progress(info);
        },
      });
      const samples = result.x.data as Float32Array;
      checkUsable(samples, 'samples', { step: done, total, t: result.times[result.times.length - 1] ?? 0 });
      const traj = result.trajectory;
      if (meta) {
        denormalise(samples, meta);
        if (traj) {
          denormalise(traj.x, meta);
          denormalise(traj.x0, meta);
        }
      }
      return {
        id,
        samples: owned(samples),
        shape: [n, ...itemShape],
        nfe: result.nfe,
        times: owned(result.times),
        ...(traj ? { trajectory: { indices: [...traj.indices], times: owned(traj.times), x: owned(traj.x), x0: owned(traj.x0), shape: [traj.shape[0], traj.shape[1], ...itemShape] } } : {}),
        seconds: (performance.now() - started) / 1000,
      };
    });
  }

  /** -log p_0 of points in data units through the probability-flow ODE; onStep (and 'sampling.progress') follows each solver step. */
  async likelihood(request: LikelihoodRequest, onStep?: (info: Progress) => void): Promise<LikelihoodResult> {
    const p = parseOrThrow(likelihoodRequestSchema, request, 'likelihood request');
    return this.track(p.id, async (id, signal, progress) => {
      const started = performance.now();
      const { model, itemShape, meta } = await this.resolve(p.model, null, undefined);
      const r = await pointsLikelihood({ model, itemShape, normalisation: meta?.normalisation ?? null, float64: meta === null }, p, signal, (info) => {
        const step = { ...info, total: p.steps };
        onStep?.(step);
        progress(step);
      });
      return { id, ...r, seconds: (performance.now() - started) / 1000 };
    });
  }
}

/**
 * The model with its predictions preceded by a turn of the event loop once SLICE_MS of work went by: the oracle
 * answers synchronously, and a long computation in this process (a likelihood takes thousands of evaluations)
 * would otherwise hold back I/O, progress events and the very sampling.cancel meant to stop it.
 */
function yielding(model: Model): Model {
  let since = performance.now();
  return {
    parameterisation: model.parameterisation,
    schedule: model.schedule,
    async predict(x, t) {
      if (performance.now() - since > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        since = performance.now();
      }
      return model.predict(x, t);
    },
  };
}

/** The sampler options a request sets (the schema has checked them against the sampler's declared ones). */
function samplerOptionsOf(p: SamplingParams): SamplerOptionValues {
  return Object.fromEntries(SAMPLER_OPTION_NAMES.flatMap((name) => (p[name] === undefined ? [] : [[name, p[name]]])));
}

/** The array itself when it owns a plain ArrayBuffer (as the wire schemas require), else a copy. */
function owned(a: Float32Array): Float32Array<ArrayBuffer>;
function owned(a: Float64Array): Float64Array<ArrayBuffer>;
function owned(a: Float32Array | Float64Array): Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer> {
  return (a.buffer instanceof ArrayBuffer ? a : a.slice()) as Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
}

/** Rows of an explicit noise array, checked against the model's item size and the requested n. */
function noiseRows(noise: Float32Array, d: number, itemShape: readonly number[], n: number | undefined): number {
  const shape = `[${itemShape.join(', ')}]`;
  if (n !== undefined && noise.length !== n * d) throw new StudioError('invalid-shape', `noise has ${noise.length} numbers: ${n} samples of the model's data shape ${shape} need ${n * d}`);
  if (noise.length === 0 || noise.length % d !== 0) throw new StudioError('invalid-shape', `noise has ${noise.length} numbers, not a whole number of items of the model's data shape ${shape}`);
  return noise.length / d;
}

/** The recorded rows: the first k, or explicit indices below n. */
function recordIndices(record: number | number[] | undefined, n: number): number[] | null {
  if (record === undefined) return null;
  if (typeof record === 'number') return record === 0 ? null : Array.from({ length: Math.min(record, n) }, (_, i) => i);
  for (const i of record) if (i >= n) throw new StudioError('invalid-argument', `record index ${i} is not below the ${n} samples`);
  return record;
}
