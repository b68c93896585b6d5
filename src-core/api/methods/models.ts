// Model methods of the API: export a run's network (or a self-contained sampler graph) as ONNX into the run's folder, list what was exported, the catalog of what can be sampled.
import { z } from 'zod';
import { SAMPLER_GRAPH_SAMPLERS } from '../../onnx/sampler-graph';
import { PARAMETERISATIONS, type Parameterisation } from '../../model';
import { normalisationSchema } from '../../normalisation';
import { datasetRequest, uploadId } from './datasets';
import { runIdSchema as runId } from '../../training/run-id';
import { runSummarySchema } from './training';

/**
 * The name of an export in its run's exports folder (a file or a folder), without folders above it. Path separators,
 * a leading dot and control characters are refused so an export can only land in that folder.
 */
export const exportEntryName = (what: 'file' | 'folder') =>
  z
    .string()
    .trim()
    .min(1)
    .max(120)
    .refine((s) => !/[/\\]/.test(s), `must be a ${what} name, without path separators`)
    .refine((s) => !/[\u0000-\u001f]/.test(s), 'must not hold control characters')
    .refine((s) => !s.startsWith('.'), 'must not start with a dot');

/** A file name for an export ('.onnx' is added when missing). */
const exportNameSchema = exportEntryName('file');

/** What a model file says about how to sample from it (the studio format's metadata). */
const modelMetaSchema = z.object({
  parameterisation: z.enum(PARAMETERISATIONS as readonly Parameterisation[] as [Parameterisation, ...Parameterisation[]]),
  schedule: z.object({ name: z.string() }).catchall(z.unknown()),
  dataShape: z.array(z.number().int()),
  normalisation: normalisationSchema.nullable(),
  classes: z.object({ count: z.number().int(), nullClass: z.number().int(), guidance: z.number() }).nullable(),
  runId: z.string().nullable(),
  seed: z.number().int().nullable(),
  studioVersion: z.string().nullable(),
});

/** One exported file of a run, as models.list reports it. */
const exportedModelSchema = z.object({
  /** File name inside the run's exports folder. */
  name: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  modifiedAt: z.string(),
  /** 'model': a network in the studio's format; 'sampler-graph': noise in, samples out; 'triton-repository': a folder Triton serves. */
  kind: z.enum(['model', 'sampler-graph', 'triton-repository']),
  /** What the file says about itself; null when it could not be read (see error). */
  meta: modelMetaSchema.nullable(),
  /** For sampler graphs: the unrolled sampler, its step count and grid. */
  sampler: z.object({ sampler: z.string(), steps: z.number().int(), grid: z.string() }).nullable(),
  /** Why the file could not be described, or null. */
  error: z.string().nullable(),
  /** For a Triton repository: the names of the models the studio wrote into it. */
  models: z.array(z.string()).optional(),
});

/** The deterministic samplers a self-contained sampler graph can unroll. */

/** A model name Triton takes as a folder of a repository: letters, digits, '_', '-', '.', not starting with a dot or '-'. */
export const TRITON_MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Which weights an export writes and how it samples: every export kind's options (a web page's too). */
export const exportedWeightsOptions = {
  /** Write a self-contained sampler graph (Euler or Heun unrolled over a grid, uniform by default) instead of the network. */
  samplerGraph: z.object({ sampler: z.enum(SAMPLER_GRAPH_SAMPLERS), steps: z.number().int().min(1).max(1024), grid: z.string().min(1).max(64).optional() }).strict().optional(),
  /** Default classifier-free guidance weight written for class-conditional models. */
  guidance: z.number().min(0).max(100).optional(),
  /** Export the raw weights instead of their moving average. */
  rawWeights: z.boolean().optional(),
};

/** What an export writes, wherever it writes it. */
const exportOptions = {
  ...exportedWeightsOptions,
  /**
   * Write a Triton model repository (a folder) instead of one file: the network as model `model` (default: the export's
   * name, or the run id for a path) with dynamic batching up to maxBatchSize, and with samplerGraph also the sampler
   * graph as model `<model>-sampler`.
   */
  triton: z
    .object({
      // up to 56 characters, so the sampler graph's '-sampler' model name fits Triton's 64 too
      model: z.string().regex(TRITON_MODEL_NAME, "must be letters, digits, '_', '-' or '.', not starting with a dot or '-'").max(56).optional(),
      maxBatchSize: z.number().int().min(1).max(65536).optional(),
    })
    .strict()
    .optional(),
};

/** A file an export wrote: its path inside what was written ('/'-separated) and its size. */
export const writtenFileSchema = z.object({ path: z.string(), bytes: z.number().int() });

/** Model methods: request and reply schemas. */
export const MODEL_METHODS = {
  'models.export': {
    params: z
      .object({
        runId,
        name: exportNameSchema,
        /** Replace a file of the same name; without it an existing export is an error. */
        overwrite: z.boolean().optional(),
        ...exportOptions,
      })
      .strict(),
    result: z.object({ path: z.string(), bytes: z.number().int(), step: z.number().int(), warnings: z.array(z.string()), files: z.array(writtenFileSchema).optional() }),
  },
  /**
   * Exports to a file the caller names anywhere on disk (replacing one there), with what the file says about itself.
   * Only the command line's host takes a path; over IPC or a WebSocket the call is refused (exports go to models.export).
   */
  'models.exportFile': {
    params: z.object({ runId, path: z.string().min(1).max(4096), ...exportOptions }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int(), step: z.number().int(), warnings: z.array(z.string()), meta: modelMetaSchema, files: z.array(writtenFileSchema).optional() }),
  },
  'models.list': {
    params: z.object({ runId }).strict(),
    result: z.object({ exports: z.array(exportedModelSchema) }),
  },
} as const;

/** One exported file of a run. */
export type ExportedModel = z.infer<typeof exportedModelSchema>;

const mixtureSchema = z.object({ weights: z.array(z.number()), means: z.array(z.array(z.number())), covariances: z.array(z.array(z.array(z.number()))) });

/** Where a model's data comes from, so a client can draw it or measure against it without reading the run's config. */
const modelDataSchema = z.discriminatedUnion('kind', [
  /** A built-in set: the datasets.generate request it was trained on, and one of held-out draws (another seed; set its count). */
  z.object({ kind: z.literal('generated'), datasetId: z.string(), label: z.string(), request: datasetRequest, heldOut: datasetRequest }),
  /** A set saved in the workspace, read through datasets.load; name null when it is gone. */
  z.object({ kind: z.literal('saved'), datasetId: z.string(), name: z.string().nullable() }),
  /** The entry's own Gaussian mixture: exact draws of it. */
  z.object({ kind: z.literal('mixture') }),
]);

/** What the studio knows of a network beyond the file's metadata: its family, time embedding, class names and value range. */
const modelDetailsSchema = z.object({
  family: z.string(),
  timeEmbedding: z.object({ kind: z.string(), dim: z.number().int().optional(), scale: z.number().optional() }),
  /** The data set's class names by label, where it has one per class. */
  classNames: z.array(z.string()).nullable(),
  /** Value range of the data set where it is known (images are drawn over it). */
  range: z.tuple([z.number(), z.number()]).nullable(),
});

/** A network in the studio's format: a run's export, or a file opened by itself (runId '' when its run is unknown here). */
const onnxEntrySchema = z.object({
  kind: z.literal('onnx'),
  key: z.string(),
  name: z.string(),
  path: z.string(),
  modifiedAt: z.string(),
  runId: z.string(),
  runName: z.string(),
  meta: modelMetaSchema,
  details: modelDetailsSchema.nullable(),
  data: modelDataSchema.nullable(),
});

/** One model that can be sampled (or a run that cannot yet, with why), with its metadata and its data. */
const catalogEntrySchema = z.discriminatedUnion('kind', [
  /** The exact model of a built-in set that is a Gaussian mixture (at the set's default parameters); it takes any schedule. */
  z.object({ kind: z.literal('oracle'), key: z.string(), datasetId: z.string(), datasetLabel: z.string(), mixture: mixtureSchema, meta: modelMetaSchema, data: modelDataSchema }),
  /** A training run's newest checkpoint (its EMA weights); meta is null, with problem saying why, when the run cannot be described. */
  z.object({
    kind: z.literal('run'),
    key: z.string(),
    run: runSummarySchema,
    meta: modelMetaSchema.nullable(),
    details: modelDetailsSchema.nullable(),
    data: modelDataSchema.nullable(),
    problem: z.string().nullable(),
  }),
  /** A network exported from a run; details and data are null when its run is gone. */
  onnxEntrySchema,
]);

/** The catalog method: everything that can be sampled, described by the host. */
export const MODEL_CATALOG_METHODS = {
  /**
   * Ideal models, then per run (oldest first) its live weights and its sampleable exports (newest first). With runId,
   * only that run's entries (a client follows 'training.status' with it).
   */
  'models.catalog': {
    params: z.object({ runId: runId.optional() }).strict(),
    result: z.object({ models: z.array(catalogEntrySchema) }),
  },
  /**
   * Opens a model file to sample: one on the studio's machine by path (the desktop app), or one uploaded in chunks
   * (datasets.uploadStart) with its name, kept in the workspace's models folder. A file that is not a network in the
   * studio's format is refused.
   */
  'models.openFile': {
    params: z
      .object({ path: z.string().min(1).max(4096).optional(), upload: uploadId.optional(), fileName: z.string().min(1).max(255).optional() })
      .strict()
      .superRefine((p, ctx) => {
        if ((p.path === undefined) === (p.upload === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of path or upload (with fileName)' });
        if (p.upload !== undefined && p.fileName === undefined) ctx.addIssue({ code: 'custom', path: ['fileName'], message: 'an upload needs its file name' });
      }),
    result: z.object({ model: onnxEntrySchema }),
  },
} as const;

/** One entry of the catalog. */
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
/** Where a model's data comes from. */
export type ModelDataRef = z.infer<typeof modelDataSchema>;
/** What the studio knows of a network beyond the file's metadata. */
export type ModelDetails = z.infer<typeof modelDetailsSchema>;
/** The metadata of a model in the studio's format. */
export type ModelMeta = z.infer<typeof modelMetaSchema>;
