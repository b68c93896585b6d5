// run.json: the status record of a run, its schema, its statuses and the hash that ties it to config.json.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TrainingConfig } from '../../src-core/training/config';

/** Where a run stands. */
export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
/** One of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a run id looks like (it is also the run's folder name). */
export const RUN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** An ISO date string. */
export const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

/** The fields of run.json, each with its schema (the rebuild of a damaged file salvages them one by one). */
export const runRecordFields = {
  schemaVersion: z.literal(1),
  id: z.string().regex(RUN_ID),
  name: z.string().max(200),
  status: z.enum(RUN_STATUSES),
  createdAt: isoDate,
  updatedAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  /** The last step completed (0 before training starts). */
  lastStep: z.number().int().min(0),
  /** The backend the run trains on and why it was chosen. */
  backend: z.strictObject({ name: z.string().min(1), reason: z.string() }).nullable(),
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
