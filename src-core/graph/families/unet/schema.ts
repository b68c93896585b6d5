// The U-Net's part of a training config: channels per level, attention levels, residual blocks, norm groups, and the shared settings.
import { z } from 'zod';
import { count, labelsShape, timeEmbeddingSchema } from '../model-schema';

/** The U-Net's model config (config.json's `model` when `family` is 'unet'). */
export const unetSchema = z.strictObject({
  family: z.literal('unet'),
  /** Channels at each resolution level; the number of levels is its length. */
  channels: z.array(count(1).max(4096)).min(1).max(6).default([32, 64, 64]),
  /** Levels (0 = full resolution) that get a self-attention block. */
  attentionLevels: z.array(count(0)).default([]),
  resBlocks: count(1).max(8).default(2),
  groups: count(1).default(8),
  timeEmbedding: timeEmbeddingSchema.prefault({ kind: 'sinusoidal' }),
  ...labelsShape,
});
