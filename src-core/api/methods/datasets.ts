// Data-set methods and events of the API: built-in generators and sets saved in the workspace.
import { z } from 'zod';

const float32 = z.instanceof(Float32Array);

const datasetParam = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  default: z.number(),
  min: z.number(),
  max: z.number(),
  step: z.number(),
  integer: z.boolean(),
});

const datasetInfo = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  params: z.array(datasetParam),
  hasMixture: z.boolean(),
});

export const datasetRequest = z.object({
  id: z.string().min(1).max(64),
  count: z.number().int().min(1).max(1_000_000),
  noise: z.number().min(0).max(10).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  params: z.record(z.string(), z.number()).optional(),
  /** For the 'gaussian-mixture' set: its components (checked in full by the data module). */
  mixture: z
    .object({ weights: z.array(z.number()), means: z.array(z.array(z.number())), covariances: z.array(z.array(z.array(z.number()))) })
    .strict()
    .optional(),
});

const statistics = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});

const importFormat = z.enum(['csv', 'json', 'npy', 'images']);

/** Where an imported set came from: a file or folder (by its base name), or the MNIST digits of the `mnist` package. */
const importedSource = z
  .object({
    id: z.enum(['csv', 'json', 'npy', 'images', 'mnist']),
    /** The imported file's or folder's base name. */
    file: z.string().optional(),
    /** MNIST: the digits asked for. */
    digits: z.array(z.number().int().min(0).max(9)).optional(),
  })
  .strict();

/**
 * Per-feature (vectors) or per-channel (images) statistics of the saved values, and how the import scaled them: a
 * description of the data (meta.json keeps it under 'normalisation'), not the map a run trains under (src-core/normalisation.ts).
 */
const datasetStatsRecord = z.object({
  /** 'unit-interval': integer pixel values were divided by their maximum (255 for 8 bits) at import. */
  scaled: z.enum(['none', 'unit-interval']),
  axis: z.enum(['feature', 'channel']),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});

/** A data set saved in the workspace, as its meta.json holds it. */
export const savedDatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  // Imported sets first: a generator request has no 'csv'..'mnist' id, so it never matches the strict import source.
  source: z.union([importedSource, datasetRequest]),
  shape: z.array(z.number().int()),
  createdAt: z.string(),
  /** Class names by label; present when labels.i32 (one little-endian int32 per row) sits beside data.f32. */
  classes: z.array(z.string()).optional(),
  normalisation: datasetStatsRecord.optional(),
});

const uint8 = z.instanceof(Uint8Array);
const int32 = z.instanceof(Int32Array);
const datasetId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be a data-set folder name (letters, digits, - and _)').max(128);

/** Largest file an import reads, by path or uploaded (1 GiB). */
export const MAX_IMPORT_BYTES = 1 << 30;
/** Largest chunk of an upload one call carries (4 MiB: 5.6 MB as base64, well inside one WebSocket frame). */
export const UPLOAD_CHUNK_BYTES = 4 << 20;

/** An upload's id, as datasets.uploadStart gives it. */
export const uploadId = z.string().regex(/^[0-9a-f]{16}$/, 'must be an upload id as datasets.uploadStart gave it');
/** A name the caller gives an import, to follow its progress events and to cancel it. */
const importId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

/** Where an import stands: reading the source (bytes, or images of a folder), describing what it read, or saving it. */
const importProgress = z.object({
  importId,
  phase: z.enum(['reading', 'describing', 'saving']),
  done: z.number().min(0),
  total: z.number().min(0),
  unit: z.enum(['bytes', 'images', 'values']),
  /** Rows read so far. */
  rows: z.number().int().min(0),
});

/** What an import found before (or as) it saves: the shape, statistics and the first rows or images. */
const importPreview = z.object({
  format: importFormat,
  shape: z.array(z.number().int()),
  stats: datasetStatsRecord,
  /** Rows flat in the set's layout: the first 16, or for a set of vectors asked with previewPoints, up to that many spaced evenly over it. */
  head: float32,
  headLabels: int32.nullable(),
  classes: z.array(z.string()).nullable(),
  /** A table's column the labels came from (numbered from 1; the reader may find a column of class names itself), else null. */
  labelColumn: z.number().int().min(1).nullable(),
  header: z.array(z.string()).nullable(),
  /** What the reader did that a person should know (header row, shape expanded, pixels scaled). */
  notes: z.array(z.string()),
});

const importParams = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** A file or folder on the machine the studio runs on. */
    path: z.string().min(1).max(4096).optional(),
    /** A file's bytes (a browser upload) with its name, used to tell the format. */
    bytes: uint8.optional(),
    fileName: z.string().min(1).max(255).optional(),
    /** A dropped folder of images: paths relative to it ('7/a.png'), under the folder name in fileName. */
    files: z.array(z.object({ path: z.string().min(1).max(1024), bytes: uint8 }).strict()).min(1).max(200_000).optional(),
    /** A file uploaded in chunks (datasets.uploadStart, datasets.uploadChunk); it stays staged for another import until discarded. */
    upload: uploadId.optional(),
    /** Names this import in its datasets.importProgress events and for datasets.importCancel. */
    importId: importId.optional(),
    format: importFormat.optional(),
    delimiter: z.enum([',', ';', '\t']).optional(),
    header: z.boolean().optional(),
    labelsFromFolders: z.boolean().optional(),
    /** CSV: the column of class labels, by header name or number from 1. */
    labelColumn: z.union([z.string().min(1).max(120), z.number().int().min(1)]).optional(),
    /** true: read and describe only; nothing is written. */
    preview: z.boolean().optional(),
    /** With preview, for a set of vectors ([n, d]): the rows its head carries, evenly spaced over the set (all when they fit). */
    previewPoints: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.previewPoints !== undefined && p.preview !== true) ctx.addIssue({ code: 'custom', path: ['previewPoints'], message: 'previewPoints shapes a preview: give it with preview: true' });
    const given = [p.path !== undefined, p.bytes !== undefined, p.files !== undefined, p.upload !== undefined].filter(Boolean).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of path, upload, bytes (with fileName) or files (with fileName)' });
    if ((p.bytes !== undefined || p.files !== undefined) && p.fileName === undefined) ctx.addIssue({ code: 'custom', path: ['fileName'], message: 'bytes and files need the fileName they came from' });
  });

/** Data-set methods: request and reply schemas. */
export const DATASET_METHODS = {
  'datasets.list': {
    params: z.object({}).strict(),
    result: z.array(datasetInfo),
  },
  'datasets.generate': {
    params: datasetRequest.strict(),
    result: z.object({ shape: z.array(z.number().int()), data: float32, stats: statistics }),
  },
  'datasets.save': {
    params: z.object({ name: z.string().trim().min(1).max(120), source: datasetRequest.strict() }).strict(),
    result: savedDatasetSchema,
  },
  'datasets.saved': {
    params: z.object({}).strict(),
    result: z.array(savedDatasetSchema),
  },
  'datasets.import': {
    params: importParams,
    /** saved is null for a preview. */
    result: z.object({ preview: importPreview, saved: savedDatasetSchema.nullable() }),
  },
  'datasets.uploadStart': {
    params: z.object({ fileName: z.string().min(1).max(255), size: z.number().int().min(0).max(MAX_IMPORT_BYTES) }).strict(),
    /** Send the file in chunks of at most chunkBytes, in order, with datasets.uploadChunk. */
    result: z.object({ uploadId, chunkBytes: z.number().int().min(1) }),
  },
  'datasets.uploadChunk': {
    params: z
      .object({
        uploadId,
        /** Where the chunk starts: the bytes sent before it. */
        offset: z.number().int().min(0).max(MAX_IMPORT_BYTES),
        /** At most UPLOAD_CHUNK_BYTES (the service checks: a refinement would hide the class the wire looks for). */
        bytes: uint8,
      })
      .strict(),
    result: z.object({ received: z.number().int().min(0) }),
  },
  'datasets.uploadDiscard': {
    params: z.object({ uploadId }).strict(),
    result: z.object({ uploadId: z.string(), discarded: z.boolean() }),
  },
  'datasets.importCancel': {
    params: z.object({ importId }).strict(),
    /** cancelled is false when no import of that name was running. */
    result: z.object({ importId: z.string(), cancelled: z.boolean() }),
  },
  'datasets.load': {
    params: z.object({ id: datasetId, maxPoints: z.number().int().min(1).max(1_000_000).optional() }).strict(),
    /** Rows evenly spaced over the set (all of them when they fit); total is the set's row count. */
    result: z.object({ id: z.string(), shape: z.array(z.number().int()), total: z.number().int(), data: float32, labels: int32.nullable(), classes: z.array(z.string()).nullable() }),
  },
  'datasets.delete': {
    params: z.object({ id: datasetId }).strict(),
    result: z.object({ id: z.string() }),
  },
  'datasets.mnist': {
    params: z
      .object({
        count: z.number().int().min(1).max(100_000).optional(),
        digits: z.array(z.number().int().min(0).max(9)).min(1).max(10).optional(),
        name: z.string().trim().min(1).max(120).optional(),
      })
      .strict(),
    result: savedDatasetSchema,
  },
} as const;

/** Data-set events. */
export const DATASET_EVENTS = {
  'datasets.changed': z.object({ saved: z.array(savedDatasetSchema) }),
  'datasets.importProgress': importProgress,
} as const;

/** Metadata of a built-in data set as the API reports it. */
export type DatasetInfo = z.infer<typeof datasetInfo>;
/** A data set saved in the workspace. */
export type SavedDataset = z.infer<typeof savedDatasetSchema>;
/** How a data set is generated. */
export type DatasetRequest = z.infer<typeof datasetRequest>;
/** What an import found: shape, statistics, first rows. */
export type ImportPreview = z.infer<typeof importPreview>;
/** Statistics and scaling recorded in an imported set's meta.json. */
export type DatasetStatsRecord = z.infer<typeof datasetStatsRecord>;
/** The parameters of datasets.import. */
export type ImportParams = z.infer<typeof importParams>;
/** A datasets.importProgress event. */
export type ImportProgress = z.infer<typeof importProgress>;
