// Messages between the Lab service and its process: run a named computation, cancel it, and the progress, result or error that come back.
import { z } from 'zod';
import { ERROR_CODES } from '../../src-core/errors';

const id = z.number().int().min(0);

/** The environment variable that hands the Lab's process its workspace (absent: computations cannot open runs). */
export const LAB_WORKSPACE_ENV = 'STUDIO_LAB_WORKSPACE';

/** Parent -> Lab process. The params are checked against the computation's own schema in the process. */
export const toLabWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run'), id, name: z.string().min(1).max(64), params: z.unknown() }),
  z.strictObject({ type: z.literal('cancel'), id }),
]);

/** Lab process -> parent. A result is checked against the computation's result schema by the parent. */
export const fromLabWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('progress'), id, done: z.number(), total: z.number() }),
  z.strictObject({ type: z.literal('result'), id, result: z.unknown() }),
  z.strictObject({
    type: z.literal('error'),
    id,
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  }),
]);

/** A message to the Lab process. */
export type ToLabWorker = z.input<typeof toLabWorkerSchema>;
/** A message from the Lab process. */
export type FromLabWorker = z.output<typeof fromLabWorkerSchema>;
