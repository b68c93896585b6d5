// Messages between the host and the backend-probe process, each direction a zod schema checked on both ends.
import { z } from 'zod';
import { backendAvailabilitySchema, samplingRuntimeSchema } from '../../../src-core/api/methods/training';
import { BACKEND_NAMES } from '../../../src-core/training/backend';

/** Host -> probe process: which backends to try (in this order) and whether to try ONNX Runtime for sampling. */
export const toProbeSchema = z.strictObject({
  type: z.literal('probe'),
  backends: z.array(z.enum(BACKEND_NAMES)).max(BACKEND_NAMES.length),
  sampling: z.boolean(),
});

/** Probe process -> host: ready, then one answer per backend asked for, the sampling answer, and done. */
export const fromProbeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('backend'), result: backendAvailabilitySchema }),
  z.strictObject({ type: z.literal('sampling'), result: samplingRuntimeSchema }),
  z.strictObject({ type: z.literal('done') }),
]);

/** A message to the probe process. */
export type ToProbe = z.input<typeof toProbeSchema>;
/** A message from the probe process. */
export type FromProbe = z.output<typeof fromProbeSchema>;
