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

export const datasetInfo = z.object({
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

/** A data set saved in the workspace, as its meta.json holds it. */
export const savedDatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: datasetRequest,
  shape: z.array(z.number().int()),
  createdAt: z.string(),
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
} as const;

/** Data-set events. */
export const DATASET_EVENTS = {
  'datasets.changed': z.object({ saved: z.array(savedDatasetSchema) }),
} as const;

/** Metadata of a built-in data set as the API reports it. */
export type DatasetInfo = z.infer<typeof datasetInfo>;
/** A data set saved in the workspace. */
export type SavedDataset = z.infer<typeof savedDatasetSchema>;
/** How a data set is generated. */
export type DatasetRequest = z.infer<typeof datasetRequest>;
