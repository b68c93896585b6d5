// The MLP's part of a training config: hidden widths, residual wiring, activation, and the shared time and label settings.
import { z } from 'zod';
import { count, labelsShape, timeEmbeddingSchema } from '../model-schema';
import { ACTIVATIONS } from './graph';

/** The MLP's model config (config.json's `model` when `family` is 'mlp'). */
export const mlpSchema = z.strictObject({
  family: z.literal('mlp'),
  hidden: z.array(count(1).max(65_536)).min(1).max(64).default([256, 256, 256]),
  timeEmbedding: timeEmbeddingSchema.prefault({ kind: 'raw' }),
  residual: z.boolean().default(false),
  activation: z.enum(ACTIVATIONS).default('silu'),
  ...labelsShape,
});

/** An MLP of the given hidden widths with every other setting at its default (the Lab's small flows). */
export function mlpConfig(hidden: readonly number[]): z.input<typeof mlpSchema> {
  return { family: 'mlp', hidden: [...hidden] };
}
