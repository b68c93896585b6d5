// Sampling methods and events of the API: run a sampler on an ONNX model file or on the exact oracle, cancel it, follow its steps.
import { z } from 'zod';
import { PARAMETERISATIONS, type Parameterisation } from '../../model';

const float32 = z.instanceof(Float32Array);
const float64 = z.instanceof(Float64Array);
const int32 = z.instanceof(Int32Array);

/** Where the predictions come from: a model file in the studio's format, a training run, or the analytic oracle of a Gaussian mixture. */
export const samplingModelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('onnx'), path: z.string().min(1) }).strict(),
  /** A training run's latest checkpoint (its EMA weights), also while the run is still training. */
  z.object({ kind: z.literal('run'), runId: z.string().min(1).max(64) }).strict(),
  z
    .object({
      kind: z.literal('oracle'),
      /** A Gaussian mixture { weights, means, covariances } (checked in full by the oracle). */
      mixture: z.unknown(),
      /** A schedule spec such as { name: 'linear' }. */
      schedule: z.record(z.string(), z.unknown()),
      parameterisation: z.enum(PARAMETERISATIONS as readonly Parameterisation[] as [Parameterisation, ...Parameterisation[]]).default('velocity'),
    })
    .strict(),
]);

/** A sampling request: model, sampler, grid, noise (seed or explicit), labels and guidance, what to record. */
export const samplingRequestSchema = z
  .object({
    /** Names the run for sampling.cancel and the progress events; one is made up when left out. */
    id: z.string().min(1).max(64).optional(),
    model: samplingModelSchema,
    sampler: z.string().min(1).max(64),
    steps: z.number().int().min(1).max(100_000),
    grid: z.string().min(1).max(64).default('uniform'),
    /** Grid ends; default t from 1 down to the schedule's tMin. */
    tMax: z.number().gt(0).max(1).optional(),
    tMin: z.number().min(0).lt(1).optional(),
    gamma: z.number().min(0).max(100).optional(),
    eta: z.number().min(0).max(1).optional(),
    /** Number of samples; with explicit noise it must match the noise's rows. */
    n: z.number().int().min(1).max(10_000_000).optional(),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Standard-normal start noise [n, ...item], flat; it is scaled by sigma at tMax before sampling. */
    noise: float32.optional(),
    /** One class label per sample (class-conditional models only). */
    labels: int32.optional(),
    /** Classifier-free guidance weight; default the model's own. */
    guidance: z.number().min(-100).max(100).optional(),
    /** Samples whose path is recorded at every step: their row indices, or the first k rows. */
    record: z.union([z.array(z.number().int().min(0)).max(100_000), z.number().int().min(0).max(100_000)]).optional(),
    /** Return the denoised x0 estimate at the last time instead of the state. */
    denoiseLast: z.boolean().default(false),
  })
  .strict();

const trajectorySchema = z.object({
  indices: z.array(z.number().int()),
  times: float64,
  /** States [steps + 1, k, ...item] and predicted x0 alike, in data units. */
  x: float32,
  x0: float32,
  shape: z.array(z.number().int()),
});

/** What a finished run returns: samples in data units (normalisation undone), NFE, the times visited, the recorded paths. */
export const samplingResultSchema = z.object({
  id: z.string(),
  samples: float32,
  shape: z.array(z.number().int()),
  nfe: z.number().int(),
  times: float64,
  trajectory: trajectorySchema.optional(),
  seconds: z.number(),
});

/** Sampling methods: request and reply schemas. */
export const SAMPLING_METHODS = {
  'sampling.run': { params: samplingRequestSchema, result: samplingResultSchema },
  'sampling.cancel': {
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'sampling.samplers': {
    params: z.object({}).strict(),
    result: z.array(z.object({ name: z.string(), label: z.string(), kind: z.string(), stochastic: z.boolean(), options: z.array(z.string()) })),
  },
} as const;

/** Sampling events: one per completed step of a run. */
export const SAMPLING_EVENTS = {
  'sampling.progress': z.object({
    id: z.string(),
    step: z.number().int(),
    total: z.number().int().nullable(),
    t: z.number(),
    nfe: z.number().int(),
  }),
} as const;

/** A sampling request as a caller writes it (defaults may be left out). */
export type SamplingRequest = z.input<typeof samplingRequestSchema>;
/** A sampling request with defaults filled in. */
export type SamplingParams = z.output<typeof samplingRequestSchema>;
/** The result of sampling.run. */
export type SamplingResult = z.infer<typeof samplingResultSchema>;
/** The model a request samples from. */
export type SamplingModel = z.output<typeof samplingModelSchema>;
