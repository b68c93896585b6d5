// Model methods of the API: export a run's network (or a self-contained sampler graph) as ONNX into the run's folder, list what was exported.
import { z } from 'zod';
import { PARAMETERISATIONS, type Parameterisation } from '../../model';

const runId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a run id');

/**
 * A file name for an export, without folders: '.onnx' is added when missing. Path separators, a leading dot and
 * control characters are refused so an export can only land in its run's exports folder.
 */
export const exportNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((s) => !/[/\\]/.test(s), 'must be a file name, without path separators')
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'must not hold control characters')
  .refine((s) => !s.startsWith('.'), 'must not start with a dot');

/** What a model file says about how to sample from it (the studio format's metadata). */
export const modelMetaSchema = z.object({
  parameterisation: z.enum(PARAMETERISATIONS as readonly Parameterisation[] as [Parameterisation, ...Parameterisation[]]),
  schedule: z.object({ name: z.string() }).catchall(z.unknown()),
  dataShape: z.array(z.number().int()),
  normalisation: z.object({ mean: z.array(z.number()), scale: z.array(z.number()) }).nullable(),
  classes: z.object({ count: z.number().int(), nullClass: z.number().int(), guidance: z.number() }).nullable(),
  runId: z.string().nullable(),
  seed: z.number().int().nullable(),
  studioVersion: z.string().nullable(),
});

/** One exported file of a run, as models.list reports it. */
export const exportedModelSchema = z.object({
  /** File name inside the run's exports folder. */
  name: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  modifiedAt: z.string(),
  /** 'model': a network in the studio's format; 'sampler-graph': noise in, samples out. */
  kind: z.enum(['model', 'sampler-graph']),
  /** What the file says about itself; null when it could not be read (see error). */
  meta: modelMetaSchema.nullable(),
  /** For sampler graphs: the unrolled sampler, its step count and grid. */
  sampler: z.object({ sampler: z.string(), steps: z.number().int(), grid: z.string() }).nullable(),
  /** Why the file could not be described, or null. */
  error: z.string().nullable(),
});

/** Model methods: request and reply schemas. */
export const MODEL_METHODS = {
  'models.export': {
    params: z
      .object({
        runId,
        name: exportNameSchema,
        /** Write a self-contained sampler graph (Euler or Heun unrolled over a uniform grid) instead of the network. */
        samplerGraph: z.object({ sampler: z.enum(['euler', 'heun']), steps: z.number().int().min(1).max(1024) }).strict().optional(),
        /** Replace a file of the same name; without it an existing export is an error. */
        overwrite: z.boolean().optional(),
        /** Default classifier-free guidance weight written for class-conditional models. */
        guidance: z.number().min(0).max(100).optional(),
        /** Export the raw weights instead of their moving average. */
        rawWeights: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ path: z.string(), bytes: z.number().int(), step: z.number().int(), warnings: z.array(z.string()) }),
  },
  'models.list': {
    params: z.object({ runId }).strict(),
    result: z.object({ exports: z.array(exportedModelSchema) }),
  },
} as const;

/** One exported file of a run. */
export type ExportedModel = z.infer<typeof exportedModelSchema>;
