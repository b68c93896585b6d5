// One sampling or likelihood request run to its end where the models live: the sampler loop, the oracle and the ODE solve. The sampling process and the in-process fallback both call these.
import type { LikelihoodParams, LikelihoodResult, SamplingParams, SamplingResult } from '../../src-core/api/methods/sampling';
import { StudioError } from '../../src-core/errors';
import type { Model } from '../../src-core/model';
import { denormalise, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { createOracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { SAMPLER_OPTION_NAMES, sample, samplers, type SamplerOptionValues } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { checkUsable, finiteGuard } from './finite-guard';
import { pointsLikelihood } from './likelihood-run';
import { samplingModel } from './onnx-model';
import type { OnnxRunner } from './onnx-runner';
import type { JobHooks } from './sampling-backend';

/** Samples used when a request gives neither n nor noise. */
const DEFAULT_COUNT = 1000;
/** Longest stretch of in-process model evaluations before the event loop gets a turn (ms). */
const SLICE_MS = 15;

/** Where a job runs: the runner that holds the model sessions, with the signal that cancels it and who hears of each step. */
export interface JobContext extends JobHooks {
  readonly runner: OnnxRunner;
}

/** A resolved model: the Model to sample, its item shape and the file's metadata (null for the oracle, which computes in float64). */
interface ResolvedModel {
  readonly model: Model;
  readonly itemShape: readonly number[];
  readonly meta: StudioModelMeta | null;
}

async function resolve(runner: OnnxRunner, m: SamplingParams['model'], labels: Int32Array | null, guidance: number | undefined): Promise<ResolvedModel> {
  if (m.kind === 'onnx') {
    const handle = await runner.open(m.path);
    return { model: samplingModel(runner, handle, labels, guidance), itemShape: handle.meta.dataShape, meta: handle.meta };
  }
  // the client turns a run into the file of its latest checkpoint before the request gets here
  if (m.kind === 'run') throw new StudioError('internal', `run ${m.runId} reached the sampler loop without being resolved to its model file`);
  if (labels || guidance !== undefined) throw new StudioError('invalid-argument', 'the oracle is unconditional: labels and guidance do not apply');
  const oracle = createOracle(m.mixture, createSchedule(m.schedule), m.parameterisation);
  return { model: yielding(oracle), itemShape: [oracle.dim], meta: null };
}

/** Runs one sampling request (params as the API schema gives them) to the end under the id; ctx.onStep follows each step. */
export async function runSamplingJob(id: string, p: SamplingParams, ctx: JobContext): Promise<SamplingResult> {
  const started = performance.now();
  const { model, itemShape, meta } = await resolve(ctx.runner, p.model, p.labels ?? null, p.guidance);
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
    cancel: ctx.signal,
    ...samplerOptionsOf(p),
    ...(indices ? { record: { indices } } : {}),
    denoiseLast: p.denoiseLast,
    onStep: (info) => {
      done = info.step;
      total = info.total;
      ctx.onStep(info);
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
}

/** -log p_0 of the request's points in data units through the probability-flow ODE, under the id; ctx.onStep follows each solver step. */
export async function runLikelihoodJob(id: string, p: LikelihoodParams, ctx: JobContext): Promise<LikelihoodResult> {
  const started = performance.now();
  const { model, itemShape, meta } = await resolve(ctx.runner, p.model, null, undefined);
  const r = await pointsLikelihood({ model, itemShape, normalisation: meta?.normalisation ?? null, float64: meta === null }, p, ctx.signal, (info) => ctx.onStep({ ...info, total: p.steps }));
  return { id, ...r, seconds: (performance.now() - started) / 1000 };
}

/**
 * The model with its predictions preceded by a turn of the event loop once SLICE_MS of work went by: the oracle
 * answers synchronously, and a long computation (a likelihood takes thousands of evaluations) would otherwise hold
 * back I/O, progress messages and the very cancel meant to stop it.
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
