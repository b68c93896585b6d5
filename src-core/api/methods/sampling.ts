// Sampling methods and events of the API: run a sampler on an ONNX model file or on the exact oracle, cancel it, follow its steps;
// the likelihood of data under a model through the probability-flow ODE.
import { z } from 'zod';
import { PARAMETERISATIONS, type Parameterisation } from '../../model';
import { SAMPLER_KINDS, SAMPLER_OPTION_NAMES, samplerOptionProblems, samplers, type SamplerOptionName } from '../../sampling';

const float32 = z.instanceof(Float32Array);
const float64 = z.instanceof(Float64Array);
const int32 = z.instanceof(Int32Array);

/** Where the predictions come from: a model file in the studio's format, a training run, or the analytic oracle of a Gaussian mixture. */
const samplingModelSchema = z.discriminatedUnion('kind', [
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

/** A number slot per sampler option; which sampler takes which, and in what range, is checked against the registry below. */
const samplerOptionSlots = Object.fromEntries(SAMPLER_OPTION_NAMES.map((name) => [name, z.number().optional()])) as {
  [K in SamplerOptionName]: z.ZodOptional<z.ZodNumber>;
};

/**
 * A sampling request: model, sampler and its options (gamma, eta, snr, ...: those the sampler's registry entry declares, each
 * within its range), grid, noise (seed or explicit), labels and guidance, what to record.
 */
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
    ...samplerOptionSlots,
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
  .strict()
  .superRefine((request, ctx) => {
    // an unknown sampler is refused by the service, naming the known ones
    if (!samplers.has(request.sampler)) return;
    for (const d of samplerOptionProblems(request.sampler, samplers.get(request.sampler), request, true)) ctx.addIssue({ code: 'custom', path: d.path, message: d.message });
  });

/** One option of a sampler as sampling.samplers describes it: label, meaning, range (both ends taken) and default. */
const samplerOptionInfoSchema = z.object({
  name: z.enum(SAMPLER_OPTION_NAMES),
  label: z.string(),
  meaning: z.string(),
  min: z.number(),
  max: z.number(),
  integer: z.boolean(),
  default: z.number(),
});

/** A registered sampler with everything a client needs to offer it and its options. */
const samplerInfoSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(SAMPLER_KINDS),
  /** Network evaluations per step at the default options; 'adaptive' when the solver picks its own steps. */
  nfePerStep: z.union([z.number(), z.literal('adaptive')]),
  /** True when it draws noise at its default options. */
  stochastic: z.boolean(),
  /** Set where drawing noise depends on an option: it draws noise only while that option is above the value. */
  noiseWhen: z.object({ option: z.enum(SAMPLER_OPTION_NAMES), above: z.number() }).nullable(),
  options: z.array(samplerOptionInfoSchema),
});

const trajectorySchema = z.object({
  indices: z.array(z.number().int()),
  times: float64,
  /** States [steps + 1, k, ...item] and predicted x0 alike, in data units. */
  x: float32,
  x0: float32,
  shape: z.array(z.number().int()),
});

/** What a finished run returns: samples in data units (normalisation undone), NFE, the times visited, the recorded paths. */
const samplingResultSchema = z.object({
  id: z.string(),
  samples: float32,
  shape: z.array(z.number().int()),
  nfe: z.number().int(),
  times: float64,
  trajectory: trajectorySchema.optional(),
  seconds: z.number(),
});

/**
 * A likelihood request: -log p_0 of points x in data units under a model, through the probability-flow ODE
 * integrated with a fixed-step solver (so the NFE follows from steps). Class-conditional models are evaluated
 * with the null label, i.e. as the unconditional density.
 */
export const likelihoodRequestSchema = z
  .object({
    /** Names the computation for sampling.cancel and the progress events; one is made up when left out. */
    id: z.string().min(1).max(64).optional(),
    model: samplingModelSchema,
    /** Points in data units [n, ...item], flat; the item shape is the model's. */
    x: float32,
    /** Fixed-step solver of the likelihood ODE. */
    solver: z.enum(['rk4']).default('rk4'),
    steps: z.number().int().min(1).max(100_000),
    /** Integration interval; default from the schedule's tMin to 1. */
    tMin: z.number().min(0).lt(1).optional(),
    tMax: z.number().gt(0).max(1).optional(),
    /** Divergence of the velocity: exact (d directional derivatives) or Hutchinson (Rademacher probes drawn from seed). */
    divergence: z.enum(['exact', 'hutchinson']).default('exact'),
    probes: z.number().int().min(1).max(256).optional(),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Also return every point's NLL. */
    perPoint: z.boolean().default(false),
  })
  .strict();

/** What a likelihood computation returns: the mean NLL of the points in data units (normalisation accounted for). */
const likelihoodResultSchema = z.object({
  id: z.string(),
  /** Mean negative log-likelihood per point, in nats. */
  nats: z.number(),
  /** The same in bits per dimension: nats / (d ln 2). */
  bpd: z.number(),
  /** Standard error of the mean over the points (0 for a single point). */
  standardError: z.number(),
  /** Per-point NLL in nats, when asked for. */
  nll: float64.optional(),
  n: z.number().int(),
  dim: z.number().int(),
  /** log |det| of the map from data to the model's normalised units per point, included in nats (0 without normalisation). */
  normalisationLogDet: z.number(),
  nfe: z.number().int(),
  seconds: z.number(),
});

/** Sampling methods: request and reply schemas. */
export const SAMPLING_METHODS = {
  'sampling.run': { params: samplingRequestSchema, result: samplingResultSchema },
  'sampling.cancel': {
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'sampling.likelihood': { params: likelihoodRequestSchema, result: likelihoodResultSchema },
  'sampling.samplers': {
    params: z.object({}).strict(),
    result: z.array(samplerInfoSchema),
  },
} as const;

/** Sampling events: one per completed step of a run or of a likelihood computation. */
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
/** A sampler as sampling.samplers describes it. */
export type SamplerInfo = z.infer<typeof samplerInfoSchema>;
/** One option of a sampler as sampling.samplers describes it. */
export type SamplerOptionInfo = z.infer<typeof samplerOptionInfoSchema>;
/** The result of sampling.run. */
export type SamplingResult = z.infer<typeof samplingResultSchema>;
/** The model a request samples from. */
export type SamplingModel = z.output<typeof samplingModelSchema>;
/** A likelihood request as a caller writes it (defaults may be left out). */
export type LikelihoodRequest = z.input<typeof likelihoodRequestSchema>;
/** A likelihood request with defaults filled in. */
export type LikelihoodParams = z.output<typeof likelihoodRequestSchema>;
/** The result of sampling.likelihood. */
export type LikelihoodResult = z.infer<typeof likelihoodResultSchema>;
