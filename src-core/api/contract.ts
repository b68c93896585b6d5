// The studio's typed API: every request, reply and event, each with the schema that checks it at a process boundary.
import { z } from 'zod';
import { ERROR_CODES } from '../errors';

const float32 = z.instanceof(Float32Array);

const datasetParam = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  default: z.number(),
  min: z.number(),
  max: z.number(),
  step: z.number(),
  integer: z.boolean(),
});

const datasetInfo = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  params: z.array(datasetParam),
  hasMixture: z.boolean(),
});

const datasetRequest = z.object({
  id: z.string().min(1).max(64),
  count: z.number().int().min(1).max(1_000_000),
  noise: z.number().min(0).max(10).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  params: z.record(z.string(), z.number()).optional(),
  /** For the 'gaussian-mixture' set: its components (checked in full by the data module). */
  mixture: z
    .object({ weights: z.array(z.number()), means: z.array(z.array(z.number())), covariances: z.array(z.array(z.array(z.number()))) })
    .strict()
    .optional(),
});

const statistics = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});

/** A data set saved in the workspace, as its meta.json holds it. */
export const savedDatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: datasetRequest,
  shape: z.array(z.number().int()),
  createdAt: z.string(),
});

/** Request and reply schemas of every method, by name. */
export const METHODS = {
  'app.info': {
    params: z.object({}).strict(),
    result: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'server', 'direct']),
      platform: z.string(),
      workspace: z.string(),
    }),
  },
  'datasets.list': {
    params: z.object({}).strict(),
    result: z.array(datasetInfo),
  },
  'datasets.generate': {
    params: datasetRequest.strict(),
    result: z.object({ shape: z.array(z.number().int()), data: float32, stats: statistics }),
  },
  'datasets.save': {
    params: z.object({ name: z.string().trim().min(1).max(120), source: datasetRequest.strict() }).strict(),
    result: savedDatasetSchema,
  },
  'datasets.saved': {
    params: z.object({}).strict(),
    result: z.array(savedDatasetSchema),
  },
} as const;

/** Payload schemas of every streamed event, by name. */
export const EVENTS = {
  'datasets.changed': z.object({ saved: z.array(savedDatasetSchema) }),
} as const;

/** A method's name. */
export type MethodName = keyof typeof METHODS;
/** The parameters a method takes. */
export type Params<M extends MethodName> = z.infer<(typeof METHODS)[M]['params']>;
/** What a method returns. */
export type Result<M extends MethodName> = z.infer<(typeof METHODS)[M]['result']>;
/** An event's name. */
export type EventName = keyof typeof EVENTS;
/** An event's payload. */
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;
/** Metadata of a built-in data set as the API reports it. */
export type DatasetInfo = z.infer<typeof datasetInfo>;
/** A data set saved in the workspace. */
export type SavedDataset = z.infer<typeof savedDatasetSchema>;
/** How a data set is generated. */
export type DatasetRequest = z.infer<typeof datasetRequest>;

/** The error part of a failed reply. */
export const errorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

/** A reply as it crosses a boundary: a result or a typed error, never a thrown exception. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: z.infer<typeof errorSchema> };

/** Checks a reply's envelope (the result itself is checked by the method's schema). */
export const replySchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorSchema }),
]);

/** True if the name is a method of the contract. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(METHODS, name);
}

/** True if the name is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}
