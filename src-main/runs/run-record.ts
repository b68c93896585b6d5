// run.json: the status record of a run, its schema and the hash that ties it to config.json.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { runBackendSchema } from '../../src-core/training/backend-decision';
import type { TrainingConfig } from '../../src-core/training/config';
import { runIdSchema } from '../../src-core/training/run-id';
import { runStatusSchema } from '../../src-core/training/run-status';

/** An ISO date string. */
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

/**
 * run.json files written before the decision was recorded as data hold `{ name, reason }`, the reason one sentence: it
 * is kept whole as a note (shown as written, never read for meaning) and the next update writes the note form.
 */
function fromSentenceForm(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort().join(',');
  const { name, reason } = value as { name?: unknown; reason?: unknown };
  return keys === 'name,reason' && typeof reason === 'string' ? { name, note: reason } : value;
}

/** The fields of run.json, each with its schema (the rebuild of a damaged file salvages them one by one). */
export const runRecordFields = {
  schemaVersion: z.literal(1),
  id: runIdSchema,
  name: z.string().max(200),
  status: runStatusSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  /** The last step completed (0 before training starts). */
  lastStep: z.number().int().min(0),
  /** The backend decision of the run's latest start; a note where only words are known (an older run.json, a rebuild). */
  backend: z.preprocess(fromSentenceForm, runBackendSchema.nullable()),
  error: z.string().nullable(),
  /** sha256 of config.json's canonical form; a config edited by hand is detected. */
  configHash: z.string().regex(/^[0-9a-f]{64}$/),
};

/** The schema of run.json. */
export const runRecordSchema = z.strictObject(runRecordFields);

/** run.json: the status record of a run. */
export type RunRecord = z.output<typeof runRecordSchema>;
/** The fields of run.json a caller may change. */
export type RunUpdate = Partial<Pick<RunRecord, 'name' | 'status' | 'startedAt' | 'finishedAt' | 'lastStep' | 'backend' | 'error'>>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** sha256 (hex) of a config's canonical JSON (keys sorted), the same whatever the key order. */
export function configHash(config: TrainingConfig): string {
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}
