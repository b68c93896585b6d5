// Web page export methods of the API: a run as a static folder (sampler graph, ONNX Runtime Web, a page drawing samples from a seed).
import { z } from 'zod';
import { SAMPLER_GRAPH_SAMPLERS } from '../../onnx/sampler-graph';
import { runIdSchema as runId } from '../../training/run-id';

/** A folder name for a page in the run's exports folder: no path separators, control characters or leading dot. */
const folderNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((s) => !/[/\\]/.test(s), 'must be a folder name, without path separators')
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'must not hold control characters')
  .refine((s) => !s.startsWith('.'), 'must not start with a dot');

/** What the page samples with: the unrolled sampler (Heun, 32 steps, uniform grid unless given), guidance, raw weights. */
const pageOptions = {
  samplerGraph: z.object({ sampler: z.enum(SAMPLER_GRAPH_SAMPLERS), steps: z.number().int().min(1).max(1024), grid: z.string().min(1).max(64).optional() }).strict().optional(),
  guidance: z.number().min(0).max(100).optional(),
  rawWeights: z.boolean().optional(),
};

/** A file of the written folder and its size. */
const pageFileSchema = z.object({ path: z.string(), bytes: z.number().int() });
const pageResultSchema = z.object({ path: z.string(), bytes: z.number().int(), step: z.number().int(), warnings: z.array(z.string()), files: z.array(pageFileSchema) });

/** Web page export methods: request and reply schemas. */
export const WEB_EXPORT_METHODS = {
  /** Writes the page into <run>/exports/<name>/; an earlier page of that name needs overwrite. */
  'models.exportWeb': {
    params: z.object({ runId, name: folderNameSchema, overwrite: z.boolean().optional(), ...pageOptions }).strict(),
    result: pageResultSchema,
  },
  /** Writes the page into a folder the caller names anywhere on disk (only the command line's host takes paths). */
  'models.exportWebFolder': {
    params: z.object({ runId, path: z.string().min(1).max(4096), ...pageOptions }).strict(),
    result: pageResultSchema,
  },
} as const;
