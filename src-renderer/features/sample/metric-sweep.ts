// The metric-against-NFE sweep: sample each sampler at a ladder of step counts and compare with held-out data;
// the NLL of held-out data through the probability-flow ODE at a ladder of solver steps.
import type { Params } from '../../../src-core/api/contract';
import type { StudioApi } from '../../../src-core/api/studio-api';
import { batch } from '../../../src-core/batch';
import { mmd2, randomDirections, slicedW2Squared } from '../../../src-core/metrics';
import { createOracle } from '../../../src-core/oracle';
import { Rng } from '../../../src-core/rng';
import { createSchedule } from '../../../src-core/schedules';
import type { SamplerOptionName, SamplerOptionValues } from '../../../src-core/sampling/types';
import type { ModelChoice } from './model-choices';

/** The metrics on offer: sliced W2 (128 fixed directions) and MMD (RBF mixture, median-distance bandwidths). */
export type MetricKind = 'sliced-w2' | 'mmd';

/** Step counts the sweep tries. */
export const SWEEP_STEPS: readonly number[] = [2, 4, 8, 16, 32, 64];

/** One sampler of the sweep: which panel it stands for, its name and the options its panel sets. */
interface SweepSampler {
  readonly panel: 'ode' | 'sde';
  readonly sampler: string;
  readonly options: SamplerOptionValues;
}

/** One measured point. */
export interface MetricPoint {
  readonly panel: 'ode' | 'sde';
  readonly steps: number;
  readonly nfe: number;
  readonly value: number;
}

/** What the sweep needs: the request without sampler and steps, the reference set and the callbacks. */
interface SweepSpec {
  readonly request: Omit<Params<'sampling.run'>, 'sampler' | 'steps' | 'id' | SamplerOptionName>;
  readonly samplers: readonly SweepSampler[];
  readonly steps: readonly number[];
  readonly metric: MetricKind;
  readonly reference: Float32Array;
  readonly dim: number;
  /** A fresh run id per call, so a cancel can name it. */
  readonly nextId: () => string;
  readonly onPoint: (p: MetricPoint) => void;
  readonly cancelled: () => boolean;
}

/** The metric between samples and the reference (both [*, dim]). */
function measure(kind: MetricKind, samples: Float32Array, reference: Float32Array, dim: number): number {
  const x = batch(samples, [samples.length / dim, dim]);
  const y = batch(reference, [reference.length / dim, dim]);
  if (kind === 'mmd') return Math.sqrt(Math.max(0, mmd2(x, y, { biased: true })));
  // fixed directions: the same slices for every point of the chart
  return Math.sqrt(slicedW2Squared(x, y, { directions: randomDirections(dim, 128, new Rng(7)) }));
}

/** Runs every sampler at every step count, one after another, reporting each point; stops between runs when cancelled. */
export async function runSweep(api: StudioApi, spec: SweepSpec): Promise<void> {
  for (const steps of spec.steps) {
    for (const s of spec.samplers) {
      if (spec.cancelled()) return;
      const reply = await api.call('sampling.run', { ...spec.request, id: spec.nextId(), sampler: s.sampler, steps, ...s.options });
      if (spec.cancelled()) return;
      spec.onPoint({ panel: s.panel, steps, nfe: reply.nfe, value: measure(spec.metric, reply.samples, spec.reference, spec.dim) });
    }
  }
}

/** Held-out data to compare with: exact draws for the ideal model; for a run, its saved set or fresh draws of its built-in set, as the catalog names them. */
export async function loadReference(api: StudioApi, choice: ModelChoice, n: number, schedule: string, seed: number): Promise<Float32Array> {
  if (choice.kind === 'oracle') {
    const oracle = createOracle(choice.mixture, createSchedule({ name: schedule }));
    return Float32Array.from(oracle.sample(n, new Rng(seed + 1_000_003)).data);
  }
  const data = choice.data;
  if (data?.kind === 'saved') return (await api.call('datasets.load', { id: data.datasetId, maxPoints: n })).data;
  // held-out points from the same distribution (the drawn mixture included), under another seed than training's
  if (data?.kind === 'generated') return (await api.call('datasets.generate', { ...data.heldOut, count: n })).data;
  throw new Error(`the studio does not know what ${choice.label} was trained on`);
}

/** RK4 steps of the NLL sweep (each step is 4 stages of 1 + 2 x directions network evaluations); fewer for images. */
export const NLL_STEPS: readonly number[] = [2, 4, 8, 16, 32];
const IMAGE_NLL_STEPS: readonly number[] = [1, 2, 4, 8];

/** Items above this size get the Hutchinson divergence: the exact one costs 2 d evaluations per stage. */
export const EXACT_DIVERGENCE_MAX_DIM = 16;

/** One measured NLL: held-out points' mean negative log-likelihood in data units. */
export interface NllPoint {
  readonly steps: number;
  readonly nfe: number;
  readonly nats: number;
  readonly bpd: number;
  readonly standardError: number;
}

/** How the NLL is measured for items of dim numbers: points, step counts, divergence, probes. */
interface NllPlan {
  readonly count: number;
  readonly steps: readonly number[];
  readonly divergence: 'exact' | 'hutchinson';
  readonly probes?: number;
}

/** Exact divergence and 500 points for small items; for images Hutchinson with 2 probes, 64 points and a shorter ladder. */
export function nllPlan(dim: number): NllPlan {
  if (dim <= EXACT_DIVERGENCE_MAX_DIM) return { count: 500, steps: NLL_STEPS, divergence: 'exact' };
  return { count: 64, steps: IMAGE_NLL_STEPS, divergence: 'hutchinson', probes: 2 };
}

/** What the NLL sweep needs: the model, the held-out points, the plan and the callbacks. */
interface NllSweepSpec {
  readonly model: Params<'sampling.likelihood'>['model'];
  /** Held-out points in data units, [count, dim] flat. */
  readonly x: Float32Array<ArrayBuffer>;
  readonly plan: NllPlan;
  readonly seed: number;
  /** A fresh id per call, so a cancel can name it. */
  readonly nextId: () => string;
  readonly onPoint: (p: NllPoint) => void;
  readonly cancelled: () => boolean;
}

/** Measures the NLL at every step count, one after another, reporting each point; stops between computations when cancelled. */
export async function runNllSweep(api: StudioApi, spec: NllSweepSpec): Promise<void> {
  for (const steps of spec.plan.steps) {
    if (spec.cancelled()) return;
    const reply = await api.call('sampling.likelihood', {
      id: spec.nextId(),
      model: spec.model,
      x: spec.x,
      solver: 'rk4',
      steps,
      divergence: spec.plan.divergence,
      ...(spec.plan.probes !== undefined ? { probes: spec.plan.probes } : {}),
      seed: spec.seed,
      perPoint: false,
    });
    if (spec.cancelled()) return;
    spec.onPoint({ steps, nfe: reply.nfe, nats: reply.nats, bpd: reply.bpd, standardError: reply.standardError });
  }
}
