// Messages between the sampling service and its ONNX Runtime process: open a model, predict one batch, and the replies.
import { z } from 'zod';
import { ERROR_CODES } from '../../src-core/errors';

const id = z.number().int().min(0);

/** Parent -> sampling process. */
export const toSamplingWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('open'), id, path: z.string().min(1), threads: z.number().int().min(1).max(256) }),
  z.strictObject({
    type: z.literal('predict'),
    id,
    key: z.string(),
    x: z.instanceof(Float32Array),
    shape: z.array(z.number().int().min(0)).min(1),
    t: z.number(),
    labels: z.instanceof(BigInt64Array).nullable(),
  }),
]);

/** Sampling process -> parent: a reply per request id. */
export const fromSamplingWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  // the handle's metadata is checked again by describeModel in the worker; here it only has to be an object
  z.strictObject({ type: z.literal('opened'), id, key: z.string(), path: z.string(), meta: z.record(z.string(), z.unknown()), conditional: z.boolean() }),
  z.strictObject({ type: z.literal('prediction'), id, data: z.instanceof(Float32Array) }),
  z.strictObject({ type: z.literal('error'), id, code: z.enum(ERROR_CODES), message: z.string() }),
]);

/** A message to the sampling process. */
export type ToSamplingWorker = z.input<typeof toSamplingWorkerSchema>;
/** A message from the sampling process. */
export type FromSamplingWorker = z.output<typeof fromSamplingWorkerSchema>;
