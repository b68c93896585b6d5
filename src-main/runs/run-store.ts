// The run store over <workspace>/runs/<id>/: create a run (config.json + run.json), update its status record, load and list runs.
import { mkdir, readdir } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { parseOrThrow } from '../../src-core/validation';
import { parseTrainingConfig, type TrainingConfig } from '../../src-core/training/config';
import { syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { readJsonFile } from './fs-util';

/** Where a run stands. */
export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
/** One of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');
const RUN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const runRecordSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: z.string().regex(RUN_ID),
  name: z.string().max(200),
  status: z.enum(RUN_STATUSES),
  createdAt: iso,
  updatedAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  /** The last step completed (0 before training starts). */
  lastStep: z.number().int().min(0),
  /** The backend the run trains on and why it was chosen. */
  backend: z.strictObject({ name: z.string().min(1), reason: z.string() }).nullable(),
  error: z.string().nullable(),
  /** sha256 of config.json's canonical form; a config edited by hand is detected. */
  configHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** run.json: the status record of a run. */
export type RunRecord = z.output<typeof runRecordSchema>;
/** The fields of run.json a caller may change. */
export type RunUpdate = Partial<Pick<RunRecord, 'name' | 'status' | 'startedAt' | 'finishedAt' | 'lastStep' | 'backend' | 'error'>>;

/** A run as loaded from disk. */
export interface RunInfo {
  readonly id: string;
  readonly dir: string;
  readonly config: TrainingConfig;
  readonly record: RunRecord;
}

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

/** The folder holding a workspace's runs. */
export function runsRoot(workspace: string): string {
  return join(workspace, 'runs');
}

/** Writes a new run's config.json, then its run.json (status 'created'), into an existing empty folder. */
export async function writeNewRun(dir: string, id: string, config: TrainingConfig, name: string): Promise<RunRecord> {
  if (!RUN_ID.test(id)) throw new StudioError('invalid-argument', `'${id}' is not a valid run id`);
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: 1,
    id,
    name,
    status: 'created',
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    lastStep: 0,
    backend: null,
    error: null,
    configHash: configHash(config),
  };
  // config.json first: a folder with run.json always has its config.
  await writeFileAtomic(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** Creates a run folder with config.json and run.json (both written atomically); returns its id and folder. */
export async function createRun(workspace: string, config: unknown, name?: string): Promise<{ id: string; dir: string }> {
  const valid = parseTrainingConfig(config);
  const now = new Date();
  const id = `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
  const dir = join(runsRoot(workspace), id);
  await mkdir(runsRoot(workspace), { recursive: true });
  await mkdir(dir);
  await syncDirectory(runsRoot(workspace));
  await writeNewRun(dir, id, valid, name ?? `${valid.data.source === 'builtin' ? valid.data.id : 'data'} ${now.toISOString().slice(0, 16).replace('T', ' ')}`);
  return { id, dir };
}

/** Reads and validates a run's run.json. */
export function readRunRecord(dir: string): Promise<RunRecord> {
  return readJsonFile(join(dir, 'run.json'), runRecordSchema);
}

/** Applies a change to run.json atomically and returns the new record (one writer per run: the supervisor). */
export async function updateRun(dir: string, update: RunUpdate): Promise<RunRecord> {
  const current = await readRunRecord(dir);
  const next = { ...current, ...update, updatedAt: new Date().toISOString() };
  const checked = parseOrThrow(runRecordSchema, next, 'run update');
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(checked, null, 2)}\n`);
  return checked;
}

/** Loads a run folder: its validated config and status record; throws naming the file that is missing or damaged. */
export async function loadRun(dir: string): Promise<RunInfo> {
  const record = await readRunRecord(dir);
  const path = join(dir, 'config.json');
  const raw = await readJsonFile(path, z.unknown());
  let config: TrainingConfig;
  try {
    config = parseTrainingConfig(raw);
  } catch (err) {
    throw new StudioError('invalid-argument', `${path} is damaged: ${(err as Error).message}`);
  }
  if (configHash(config) !== record.configHash) {
    throw new StudioError('invalid-argument', `${path} does not match the hash in run.json: it was changed after the run was created`);
  }
  return { id: record.id, dir, config, record };
}

/** Every readable run of a workspace, oldest first, and the folders that could not be read with the reason. */
export async function listRuns(workspace: string): Promise<{ runs: RunInfo[]; unreadable: { dir: string; error: string }[] }> {
  const root = runsRoot(workspace);
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadable: [] };
    throw new StudioError('invalid-argument', `${root} cannot be read: ${(err as Error).message}`);
  }
  const runs: RunInfo[] = [];
  const unreadable: { dir: string; error: string }[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    try {
      const run = await loadRun(dir);
      if (run.id !== name) throw new StudioError('invalid-argument', `${dir}/run.json names run '${run.id}'`);
      runs.push(run);
    } catch (err) {
      unreadable.push({ dir, error: (err as Error).message });
    }
  }
  runs.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt) || a.id.localeCompare(b.id));
  return { runs, unreadable };
}

/** The folder of a run id, refusing ids that could escape the runs folder. */
export function runDir(workspace: string, id: string): string {
  if (!RUN_ID.test(id)) throw new StudioError('invalid-argument', `'${id}' is not a run id`);
  return join(runsRoot(workspace), id);
}
