// The studio's typed API: every request, reply and event, each with the schema that checks it at a process boundary.
// Each domain keeps its methods in methods/<domain>.ts; this file joins them and holds the envelope types.
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { MAX_DETAILS } from '../validation';
import { APP_EVENTS, APP_METHODS } from './methods/app';
import { DATASET_EVENTS, DATASET_METHODS } from './methods/datasets';
import { FILE_EVENTS, FILE_METHODS } from './methods/files';
import { LAB_EVENTS, LAB_METHODS } from './methods/lab';
import { METRIC_METHODS } from './methods/metrics';
import { MODEL_CATALOG_METHODS, MODEL_METHODS } from './methods/models';
import { SAMPLING_EVENTS, SAMPLING_METHODS } from './methods/sampling';
import { TRAINING_EVENTS, TRAINING_METHODS } from './methods/training';
import { WEB_EXPORT_METHODS } from './methods/web-export';

export { savedDatasetSchema, type DatasetInfo, type DatasetRequest, type SavedDataset } from './methods/datasets';

/** Request and reply schemas of every method, by name. */
export const METHODS = { ...APP_METHODS, ...DATASET_METHODS, ...SAMPLING_METHODS, ...TRAINING_METHODS, ...MODEL_METHODS, ...WEB_EXPORT_METHODS, ...MODEL_CATALOG_METHODS, ...LAB_METHODS, ...METRIC_METHODS, ...FILE_METHODS } as const;

/** Payload schemas of every streamed event, by name. */
export const EVENTS = { ...APP_EVENTS, ...DATASET_EVENTS, ...SAMPLING_EVENTS, ...TRAINING_EVENTS, ...LAB_EVENTS, ...FILE_EVENTS } as const;


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

/** The error part of a failed reply. */
export const errorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Bad input: each problem with its path into the params, so a form can show it beside its field. */
  details: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).max(MAX_DETAILS).optional(),
});

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
