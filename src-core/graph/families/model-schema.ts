// The settings every model family shares (how t enters, class labels) as zod pieces a family's config schema is built from.
import { z } from 'zod';

/** A whole number of at least `min`. */
export const count = (min: number) => z.number().int().min(min);

/** How t enters the network: 'raw' appends t as one input; the others embed it in dim features. */
export const timeEmbeddingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('raw') }),
  z.strictObject({ kind: z.literal('sinusoidal'), dim: count(2).default(64), scale: z.number().positive().default(1000) }),
  z.strictObject({ kind: z.literal('fourier'), dim: count(2).default(64), scale: z.number().positive().default(16) }),
]);

/** Class conditioning, the same in every family. */
export const labelsShape = {
  /** Number of classes for class conditioning; null trains an unconditional model. */
  classes: count(2).nullable().default(null),
  /** Probability of dropping the label in a row (classifier-free guidance). */
  labelDropout: z.number().min(0).lt(1).default(0),
};

/** A model config's time embedding, as config.json holds it. */
type TimeEmbeddingConfig = z.output<typeof timeEmbeddingSchema>;

/** One way t enters the network ('raw', 'sinusoidal', 'fourier'). */
export type TimeEmbeddingKind = TimeEmbeddingConfig['kind'];

/** The time embeddings, in the order the schema lists them. */
export const TIME_EMBEDDING_KINDS: readonly TimeEmbeddingKind[] = timeEmbeddingSchema.options.map((o) => o.shape.kind.value);

/** What every family's model config holds besides its own settings. */
export type SharedModelConfig = { readonly family: string; readonly timeEmbedding: TimeEmbeddingConfig } & z.output<z.ZodObject<typeof labelsShape>>;

/** The keys of SharedModelConfig: a family's other keys are its own settings, each a form field. */
export const SHARED_MODEL_KEYS: readonly string[] = ['family', 'timeEmbedding', ...Object.keys(labelsShape)];
