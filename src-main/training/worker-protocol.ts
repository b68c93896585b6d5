// Messages between the training supervisor and a training worker, each direction a zod schema checked on both ends.
import { z } from 'zod';
import { entropicPlanCountsSchema } from '../../src-core/coupling/plan-counts';
import { BACKEND_CHOICES, BACKEND_NAMES } from '../../src-core/training/backend';
import { backendDecisionSchema } from '../../src-core/training/backend-decision';
import { workerStatusSchema } from '../../src-core/training/run-status';

const step = z.number().int().min(0);
const finiteOrNull = z.number().nullable();

/** How often the worker reports, and what its previews hold. */
export const workerSettingsSchema = z.strictObject({
  /** Shortest time between two progress messages, in ms (about 10 per second by default). */
  progressIntervalMs: z.number().int().min(10).max(60_000).default(100),
  /** Time between preview samples in ms; 0 disables them. */
  previewIntervalMs: z.number().int().min(0).default(5000),
  /** Points per preview. */
  previewPoints: z.number().int().min(1).max(100_000).default(1000),
  /** Heun steps per preview (2 network evaluations each). */
  previewSteps: z.number().int().min(1).max(1000).default(8),
  /** A backend to use instead of the config's choice (a run moved to another machine). */
  backend: z.enum(BACKEND_CHOICES).optional(),
  /**
   * Backends whose probe crashed or hung the host's probe process: 'auto' passes them over with that reason rather than
   * load them in the worker, where the same crash would end the run. A backend the run names is still tried.
   */
  avoidBackends: z.array(z.strictObject({ name: z.enum(BACKEND_NAMES), reason: z.string().min(1).max(2000) })).max(BACKEND_NAMES.length).optional(),
  /** Steps to run in this session before pausing (tests and benchmarks); left out, the run goes to its end. */
  stopAfterStep: step.optional(),
});

/** Worker settings after defaults. */
export type WorkerSettings = z.output<typeof workerSettingsSchema>;

/** Supervisor -> worker. */
export const toWorkerSchema = z.discriminatedUnion('type', [
  /** Train the run in runDir: from its latest checkpoint if it has one, else from its seed. */
  z.strictObject({
    type: z.literal('start'),
    runDir: z.string().min(1),
    /** Where saved data sets live; left out, the folder two levels above runDir (<workspace>/runs/<id>). */
    workspace: z.string().min(1).optional(),
    settings: workerSettingsSchema.prefault({}),
  }),
  /** Checkpoint and wait for 'resume'; with exit, checkpoint and end the process (Ctrl-C, app quit). */
  z.strictObject({ type: z.literal('pause'), exit: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('resume') }),
  /** Checkpoint and end the run for good. */
  z.strictObject({ type: z.literal('cancel') }),
]);
/** A message to a worker. */
export type ToWorker = z.input<typeof toWorkerSchema>;

/** Worker -> supervisor. */
export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('started'),
    /** The backend chosen, how, and what was tried before it with why and the fix. */
    backend: backendDecisionSchema,
    /** The step training continues from (0 fresh, else the checkpoint's). */
    fromStep: step,
    totalSteps: step,
    /** Problems met while reading checkpoints (a damaged newest one, ...). */
    notes: z.array(z.string()),
  }),
  z.strictObject({
    type: z.literal('progress'),
    step,
    totalSteps: step,
    loss: finiteOrNull,
    smoothedLoss: finiteOrNull,
    lr: z.number(),
    gradNorm: finiteOrNull,
    stepsPerSec: z.number().min(0),
    /** Seconds left at the current rate; null before a rate is known. */
    etaSec: z.number().min(0).nullable(),
    backend: z.string(),
    /** For entropic couplings: this session's batches by the plan they were drawn from. */
    coupling: entropicPlanCountsSchema.optional(),
  }),
  z.strictObject({ type: z.literal('preview'), step, points: z.instanceof(Float32Array), shape: z.array(z.number().int().min(1)), nfe: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('checkpoint'), step, file: z.string() }),
  /** A state change: the worker ends after 'completed', 'cancelled', 'failed' and after 'paused' with exit. */
  z.strictObject({
    type: z.literal('status'),
    status: workerStatusSchema,
    step,
    /** The last checkpoint on disk. */
    checkpointStep: step.nullable(),
    /** Why it failed, naming the step ('the loss became NaN at step 812; ...'). */
    message: z.string().nullable(),
    /** For failures: what kind, so a UI can offer the right fix. */
    failure: z.enum(['non-finite', 'out-of-memory', 'config', 'error']).nullable(),
    /** True when the process is about to exit. */
    exiting: z.boolean(),
  }),
  z.strictObject({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
/** A message from a worker. */
export type FromWorker = z.output<typeof fromWorkerSchema>;
/** The worker's status message. */
export type WorkerStatus = Extract<FromWorker, { type: 'status' }>;
/** The worker's progress message. */
export type WorkerProgress = Extract<FromWorker, { type: 'progress' }>;
