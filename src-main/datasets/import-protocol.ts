// Messages between the data-set service and an import process, each direction a zod schema checked on both ends.
import { z } from 'zod';
import { ERROR_CODES } from '../../src-core/errors';
import { IMPORT_FORMATS } from '../../src-core/io/data-file';

const bytes = z.instanceof(Uint8Array);
const count = z.number().int().min(0);

const jobSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal('upload'), file: z.string().min(1), fileName: z.string().min(1) }),
  z.strictObject({ kind: z.literal('bytes'), bytes, fileName: z.string().min(1) }),
  z.strictObject({ kind: z.literal('files'), files: z.array(z.strictObject({ path: z.string().min(1), bytes })), fileName: z.string().min(1) }),
]);

const optionsSchema = z.strictObject({
  format: z.enum(IMPORT_FORMATS).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
  header: z.boolean().optional(),
  labelsFromFolders: z.boolean().optional(),
  labelColumn: z.union([z.string(), z.number().int().min(1)]).optional(),
});

/** Service -> import process: run one job. */
export const toImportWorkerSchema = z.strictObject({
  type: z.literal('start'),
  request: z.strictObject({ source: jobSourceSchema, options: optionsSchema, dir: z.string().min(1), previewPoints: count.nullable() }),
});

const statsSchema = z.strictObject({ axis: z.enum(['feature', 'channel']), mean: z.array(z.number()), std: z.array(z.number()), min: z.array(z.number()), max: z.array(z.number()) });

/** Import process -> service: progress, then the result or a typed error. */
export const fromImportWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('progress'),
    progress: z.strictObject({ phase: z.enum(['reading', 'describing']), done: z.number().min(0), total: z.number().min(0), unit: z.enum(['bytes', 'images', 'values']), rows: count }),
  }),
  z.strictObject({
    type: z.literal('done'),
    result: z.strictObject({
      format: z.enum(IMPORT_FORMATS),
      fileName: z.string(),
      shape: z.array(count),
      classes: z.array(z.string()).nullable(),
      header: z.array(z.string()).nullable(),
      labelColumn: z.number().int().min(1).nullable(),
      notes: z.array(z.string()),
      stats: statsSchema,
      head: z.instanceof(Float32Array),
      headLabels: z.instanceof(Int32Array).nullable(),
      labelled: z.boolean(),
      peakRssBytes: z.number().min(0),
    }),
  }),
  z.strictObject({ type: z.literal('error'), code: z.enum(ERROR_CODES), message: z.string() }),
]);
/** A message from the import process. */
export type FromImportWorker = z.output<typeof fromImportWorkerSchema>;
