// Web page export methods of the API: a run as a static folder (sampler graph, ONNX Runtime Web, a page drawing samples from a seed).
import { z } from 'zod';
import { runIdSchema as runId } from '../../training/run-id';
import { exportEntryName, exportedWeightsOptions, writtenFileSchema } from './models';

/** A folder name for a page in the run's exports folder. */
const folderNameSchema = exportEntryName('folder');

const pageResultSchema = z.object({ path: z.string(), bytes: z.number().int(), step: z.number().int(), warnings: z.array(z.string()), files: z.array(writtenFileSchema) });

/** Web page export methods: request and reply schemas. */
export const WEB_EXPORT_METHODS = {
  /** Writes the page into <run>/exports/<name>/; an earlier page of that name needs overwrite. */
  'models.exportWeb': {
    params: z.object({ runId, name: folderNameSchema, overwrite: z.boolean().optional(), ...exportedWeightsOptions }).strict(),
    result: pageResultSchema,
  },
  /** Writes the page into a folder the caller names anywhere on disk (only the command line's host takes paths). */
  'models.exportWebFolder': {
    params: z.object({ runId, path: z.string().min(1).max(4096), ...exportedWeightsOptions }).strict(),
    result: pageResultSchema,
  },
} as const;
