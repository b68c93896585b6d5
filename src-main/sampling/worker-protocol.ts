// Messages between the sampling service and its process: whole sampling and likelihood requests, their progress, results
// and cancel; and the single predictions (open a model, predict one batch) that tests and benches ask of a runner.
import { z } from 'zod';
import { errorSchema } from '../../src-core/api/contract';
import { SAMPLING_EVENTS, SAMPLING_METHODS, likelihoodRequestSchema, samplingRequestSchema } from '../../src-core/api/methods/sampling';

const id = z.number().int().min(0);
const threads = z.number().int().min(1).max(256);

/** Parent -> sampling process. The requests' parameters are the API's own schemas: the process checks them on arrival. */
export const toSamplingWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sample'), id, threads, params: samplingRequestSchema }),
  z.strictObject({ type: z.literal('likelihood'), id, threads, params: likelihoodRequestSchema }),
  /** Stops the request with that id between two network evaluations. */
  z.strictObject({ type: z.literal('cancel'), id }),
  z.strictObject({ type: z.literal('open'), id, path: z.string().min(1), threads }),
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

/** Sampling process -> parent: progress while a request runs, then one reply per request id. */
export const fromSamplingWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** The steps completed since the last progress message of that request, in order (sent at most every PROGRESS_MS). */
  z.strictObject({ type: z.literal('progress'), id, steps: z.array(SAMPLING_EVENTS['sampling.progress'].omit({ id: true }).strict()).min(1) }),
  z.strictObject({ type: z.literal('sampled'), id, result: SAMPLING_METHODS['sampling.run'].result }),
  z.strictObject({ type: z.literal('measured'), id, result: SAMPLING_METHODS['sampling.likelihood'].result }),
  // the handle's metadata is checked again by describeModel in the worker; here it only has to be an object
  z.strictObject({ type: z.literal('opened'), id, key: z.string(), path: z.string(), meta: z.record(z.string(), z.unknown()), conditional: z.boolean() }),
  z.strictObject({ type: z.literal('prediction'), id, data: z.instanceof(Float32Array) }),
  z.strictObject({ type: z.literal('error'), id, error: errorSchema }),
]);

/** A message to the sampling process. */
export type ToSamplingWorker = z.input<typeof toSamplingWorkerSchema>;
/** A message from the sampling process. */
export type FromSamplingWorker = z.output<typeof fromSamplingWorkerSchema>;
