// The driver every sampler runs under: input checks, the grid, NFE counting, noise, cancel, progress and records.
import { like, batch, rowSize, rows, type Batch, type FloatArray } from '../batch';
import { StudioError, check, checkAllFinite } from '../errors';
import type { Model } from '../model';
import { checkTimes, makeGrid } from './grids';
import { makePrediction } from './prediction';
import { optionOf, samplerOptionProblems } from './options';
import { Recorder } from './recorder';
import type { Prediction, SampleOptions, SampleResult, SamplerContext, SamplerOptionName, SamplerSpec } from './types';
import { describeDetails } from '../validation';

/** The grid an options object asks for (default: 50 uniform steps from 1 to the schedule's tMin). */
function resolveGrid(model: Model, options: SampleOptions): Float64Array {
  const g = options.grid ?? { name: 'uniform', steps: 50 };
  if (g instanceof Float64Array) return checkTimes(g);
  check(typeof g === 'object' && g !== null && typeof g.name === 'string', 'grid must be { name, steps } or a Float64Array of times');
  return makeGrid(g.name, model.schedule, g.steps, g.tMax ?? 1, g.tMin ?? model.schedule.tMin);
}

/** Checks that x is a non-empty, finite batch whose shape matches its buffer. */
function checkNoise(x: Batch): void {
  if (!x || !(x.data instanceof Float32Array || x.data instanceof Float64Array) || !Array.isArray(x.shape)) {
    throw new StudioError('invalid-shape', 'noise must be a batch { data: Float32Array | Float64Array, shape }');
  }
  batch(x.data, x.shape); // throws invalid-shape on a mismatch
  if (rows(x) < 1 || rowSize(x) < 1) throw new StudioError('invalid-shape', `noise has an empty shape [${x.shape.join(', ')}]`);
  checkAllFinite(x.data, 'noise');
}

/** Throws invalid-argument, with a detail per option, when an option the sampler reads is out of its declared range. */
function checkOptions(name: string, spec: SamplerSpec, options: SampleOptions): void {
  // options the sampler does not read are left alone here: one options object may serve several samplers
  const problems = samplerOptionProblems(name, spec, options as Readonly<Record<string, unknown>>, false);
  if (problems.length) {
    throw new StudioError('invalid-argument', describeDetails(problems), problems);
  }
}

/** Runs one sampler spec (registered under name) on a model from the noise batch x at times[0]. */
export async function runSampler<A extends FloatArray>(
  name: string, spec: SamplerSpec, model: Model, x: Batch<A>, options: SampleOptions = {},
): Promise<SampleResult<A>> {
  check(model !== null && typeof model === 'object' && typeof model.predict === 'function' && model.schedule !== undefined,
    'model must implement predict(x, t) and carry a schedule');
  checkNoise(x);
  checkOptions(name, spec, options);
  const times = resolveGrid(model, options);
  const shape = [...x.shape];
  const n = rows(x);
  const d = rowSize(x);
  const total = spec.nfePerStep === 'adaptive' ? null : times.length - 1;
  const recorder = options.record ? new Recorder(options.record.indices, n, d) : null;
  const visited: number[] = [times[0]];
  const noiseQueue = [...(options.noise ?? [])];
  let nfe = 0;
  let steps = 0;

  const checkCancel = (): void => {
    if (options.cancel?.aborted) throw new StudioError('cancelled', `sampling cancelled after ${steps} steps`);
  };

  const ctx: SamplerContext = {
    schedule: model.schedule,
    shape,
    times,
    options,
    option(key: SamplerOptionName): number {
      const declared = optionOf(spec, key);
      if (!declared) throw new StudioError('internal', `the sampler '${name}' reads the option '${key}' it does not declare`);
      return options[key] ?? declared.default;
    },
    async evaluate(y: FloatArray, t: number): Promise<Prediction> {
      checkCancel();
      nfe++;
      const raw = await model.predict({ data: y, shape }, t);
      if (raw.length !== y.length) {
        throw new StudioError('invalid-shape', `model returned ${raw.length} numbers for a batch of ${y.length}`);
      }
      return makePrediction(model, y, t, raw);
    },
    noise(y: FloatArray): FloatArray {
      const next = noiseQueue.shift();
      const out = like(y);
      if (next !== undefined) {
        if (next.length !== y.length) throw new StudioError('invalid-shape', `noise array has ${next.length} numbers, the state ${y.length}`);
        out.set(next);
        return out;
      }
      if (!options.rng) throw new StudioError('invalid-argument', 'this sampler draws noise: pass rng or enough noise arrays');
      return options.rng.fillNormal(out);
    },
    step(y: FloatArray, t: number, from: Prediction | null): void {
      steps++;
      visited.push(t);
      if (recorder) {
        if (from) recorder.x0(from.x0());
        recorder.state(y, t);
      }
      options.onStep?.({ step: steps, total, t, nfe });
      checkCancel();
    },
  };

  checkCancel();
  recorder?.state(x.data, times[0]);
  let out = await spec.run(x.data, ctx);
  const tEnd = visited[visited.length - 1];
  if (options.denoiseLast || recorder) {
    // The Tweedie estimate at t_min: one more evaluation, shared by the record and denoiseLast.
    const last = await ctx.evaluate(out, tEnd);
    recorder?.x0(last.x0());
    if (options.denoiseLast) out = last.x0();
  }
  const data = (x.data instanceof Float64Array ? Float64Array.from(out) : Float32Array.from(out)) as A;
  return {
    x: { data, shape },
    nfe,
    times: Float64Array.from(visited),
    ...(recorder ? { trajectory: recorder.finish() } : {}),
  };
}
