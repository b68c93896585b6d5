// Training methods and events of the API: start, steer and list runs, read their metrics, stream progress, status and previews.
import { z } from 'zod';
import type { TrainingConfig } from '../../training/config';

const float32 = z.instanceof(Float32Array);
const float64 = z.instanceof(Float64Array);
const runId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a run id');
const step = z.number().int().min(0);

/** Where a run stands (as run.json records it). */
export const runStatusSchema = z.enum(['created', 'running', 'paused', 'completed', 'failed', 'cancelled']);

/** A run as the API lists it. */
export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: runStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  lastStep: step,
  totalSteps: step,
  backend: z.object({ name: z.string(), reason: z.string() }).nullable(),
  error: z.string().nullable(),
  /** True while a training process holds the run. */
  active: z.boolean(),
});

// The config was validated when the run was created (and its hash checked on load): the reply passes it through as is.
const configSchema = z.custom<TrainingConfig>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a training config object');

/** Training methods: request and reply schemas. */
export const TRAINING_METHODS = {
  'training.start': {
    /** config is checked in full by the training config parser, whose error names each bad field. */
    params: z.object({ config: z.unknown(), name: z.string().trim().min(1).max(200).optional() }).strict(),
    result: z.object({ runId: z.string() }),
  },
  'training.pause': { params: z.object({ runId }).strict(), result: z.object({}) },
  'training.resume': { params: z.object({ runId }).strict(), result: z.object({}) },
  'training.cancel': { params: z.object({ runId }).strict(), result: z.object({}) },
  'training.list': {
    params: z.object({}).strict(),
    result: z.object({ runs: z.array(runSummarySchema), unreadable: z.array(z.object({ dir: z.string(), error: z.string() })) }),
  },
  'training.get': {
    params: z.object({ runId }).strict(),
    result: z.object({ run: runSummarySchema, config: configSchema }),
  },
  'training.metrics': {
    params: z.object({ runId, fromStep: step.optional(), maxPoints: z.number().int().min(2).max(1_000_000).optional() }).strict(),
    result: z.object({
      total: step,
      step: float64,
      loss: float64,
      smoothedLoss: float64,
      lr: float64,
      gradNorm: float64,
      stepsPerSec: float64,
      time: float64,
    }),
  },
} as const;

/** Training events. */
export const TRAINING_EVENTS = {
  'training.progress': z.object({
    runId: z.string(),
    step,
    totalSteps: step,
    loss: z.number().nullable(),
    smoothedLoss: z.number().nullable(),
    lr: z.number(),
    gradNorm: z.number().nullable(),
    stepsPerSec: z.number(),
    etaSec: z.number().nullable(),
    backend: z.string(),
  }),
  'training.status': z.object({ run: runSummarySchema, message: z.string().nullable() }),
  'training.preview': z.object({ runId: z.string(), step, points: float32, shape: z.array(z.number().int()), nfe: z.number().int() }),
} as const;

/** A run as the API lists it. */
export type RunSummary = z.infer<typeof runSummarySchema>;
