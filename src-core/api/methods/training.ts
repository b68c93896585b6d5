// Training methods and events of the API: start, steer and list runs, read their metrics, stream progress, status and previews.
import { z } from 'zod';
import { entropicPlanCountsSchema } from '../../coupling/plan-counts';
import { BACKEND_NAMES } from '../../training/backend';
import { backendDecisionSchema, runBackendSchema } from '../../training/backend-decision';
import type { TrainingConfig } from '../../training/config';
import { runIdSchema as runId } from '../../training/run-id';
import { runStatusSchema } from '../../training/run-status';

const float32 = z.instanceof(Float32Array);
const float64 = z.instanceof(Float64Array);
const step = z.number().int().min(0);

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
  /** The backend decision (chosen, how, what was tried with why and the fix), or a note where only words are known. */
  backend: runBackendSchema.nullable(),
  error: z.string().nullable(),
  /** True while a training process holds the run. */
  active: z.boolean(),
  /** Its data, model and objective in a few words (from its config), so runs tell themselves apart in a list. */
  describe: z.object({ data: z.string(), model: z.string(), objective: z.string() }),
});

/** A run name as a person types it: trimmed, not empty. */
const runName = z.string().trim().min(1, 'a run needs a name').max(200);

const backendName = z.enum(BACKEND_NAMES);

/** What a person does to make something run that cannot, or null where no fix is known. */
const fix = z.string().min(1).nullable();

/** One training backend as probed on this machine: it runs (on a device), or it does not (why, and the fix). */
export const backendAvailabilitySchema = z.discriminatedUnion('available', [
  z.object({ name: backendName, available: z.literal(true), device: z.string().min(1) }),
  z.object({ name: backendName, available: z.literal(false), reason: z.string().min(1), fix }),
]);

/** What sampling runs on: ONNX Runtime in the sampling process, its device or why it cannot run and the fix; notes say what else to know. */
export const samplingRuntimeSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true), device: z.string().min(1), notes: z.array(z.string()) }),
  z.object({ available: z.literal(false), reason: z.string().min(1), fix, notes: z.array(z.string()) }),
]);

/** Every training backend in the order 'auto' tries them, which one 'auto' picks, and what sampling runs on. */
export const backendsReportSchema = z
  .object({
    backends: z.array(backendAvailabilitySchema),
    /** The first available backend (what a run on 'auto' gets); null when none can run. */
    auto: backendName.nullable(),
    sampling: samplingRuntimeSchema,
    /** When the probe ran (ISO time); the host keeps its answer until it restarts. */
    probedAt: z.string(),
  })
  .superRefine((r, ctx) => {
    const names = r.backends.map((b) => b.name);
    if (names.join(',') !== BACKEND_NAMES.join(',')) {
      ctx.addIssue({ code: 'custom', path: ['backends'], message: `must list every backend once, in the order ${BACKEND_NAMES.join(', ')}; got ${names.join(', ') || 'none'}` });
    }
    const first = r.backends.find((b) => b.available)?.name ?? null;
    if (r.auto !== first) ctx.addIssue({ code: 'custom', path: ['auto'], message: `must be the first available backend (${first ?? 'none'})` });
  });

// The config was validated when the run was created (and its hash checked on load): the reply passes it through as is.
const configSchema = z.custom<TrainingConfig>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a training config object');

/**
 * A folder on the studio's machine for a run. Only the command line's host takes one (the person's own shell may name
 * any folder of theirs); over IPC or a WebSocket a call naming a folder is refused, so no caller reaches past the workspace.
 */
const folderPath = z.string().min(1).max(4096);

/** Training methods: request and reply schemas. */
export const TRAINING_METHODS = {
  'training.start': {
    /**
     * config is checked in full by the training config parser, whose error names each bad field; dir makes the run in
     * that folder (missing or empty) instead of the workspace's runs folder.
     */
    params: z.object({ config: z.unknown(), name: runName.optional(), dir: folderPath.optional() }).strict(),
    result: z.object({ runId: z.string() }),
  },
  /** Opens a run folder by its path, so that its id reaches it in the other methods (a host that takes no paths refuses: see folderPath). */
  'training.open': { params: z.object({ dir: folderPath }).strict(), result: z.object({ run: runSummarySchema }) },
  /** Resolves once no training process holds the run (one that died and is being restarted still holds it). */
  'training.wait': { params: z.object({ runId }).strict(), result: z.object({ run: runSummarySchema }) },
  /** Gives a run another name (announced by a 'training.status' event). */
  'training.rename': { params: z.object({ runId, name: runName }).strict(), result: z.object({ run: runSummarySchema }) },
  'training.pause': { params: z.object({ runId }).strict(), result: z.object({}) },
  'training.resume': { params: z.object({ runId }).strict(), result: z.object({}) },
  'training.cancel': { params: z.object({ runId }).strict(), result: z.object({}) },
  /** Removes a run and everything in its folder (checkpoints, metrics, exports); a training worker of it is stopped first. Announced by 'training.deleted'. */
  'training.delete': { params: z.object({ runId }).strict(), result: z.object({}) },
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
  /** Which training backends can run here and what sampling runs on; probed once per host in a short-lived process. */
  'training.backends': {
    params: z.object({}).strict(),
    result: backendsReportSchema,
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
    /** For entropic couplings: this session's batches drawn from the entropic plan, from the OT assignment, and unconverged. */
    coupling: entropicPlanCountsSchema.optional(),
  }),
  /** A training process began: its backend decision and the step it continues from. */
  'training.started': z.object({
    runId: z.string(),
    backend: backendDecisionSchema,
    fromStep: step,
    totalSteps: step,
  }),
  'training.status': z.object({ run: runSummarySchema, message: z.string().nullable() }),
  /** What a training process said beside its progress (a preview that failed, a message it could not read). */
  'training.log': z.object({ runId: z.string(), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  'training.preview': z.object({ runId: z.string(), step, points: float32, shape: z.array(z.number().int()), nfe: z.number().int() }),
  /** A run was deleted: lists drop it. */
  'training.deleted': z.object({ runId: z.string() }),
} as const;

/** A run as the API lists it. */
export type RunSummary = z.infer<typeof runSummarySchema>;
/** One backend's availability on this machine. */
export type BackendAvailability = z.infer<typeof backendAvailabilitySchema>;
/** What sampling runs on. */
export type SamplingRuntime = z.infer<typeof samplingRuntimeSchema>;
/** The reply of training.backends. */
export type BackendsReport = z.infer<typeof backendsReportSchema>;
