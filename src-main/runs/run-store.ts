// The run store over <workspace>/runs/<id>/: create a run (config.json + run.json), update its status record, load and list runs.
import { access, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { parseOrThrow } from '../../src-core/validation';
import { parseTrainingConfig, type TrainingConfig } from '../../src-core/training/config';
import { ensureDir, syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { readJsonFile } from './fs-util';
import { rebuildRunRecord } from './run-rebuild';
import { RUN_ID } from '../../src-core/training/run-id';
import { configHash, runRecordSchema, type RunRecord, type RunUpdate } from './run-record';

export { configHash } from './run-record';
export type { RunRecord, RunUpdate } from './run-record';

/** A run as loaded from disk. */
export interface RunInfo {
  readonly id: string;
  readonly dir: string;
  readonly config: TrainingConfig;
  readonly record: RunRecord;
  /** What had to be repaired to load it (a run.json rebuilt from the checkpoints), one sentence each; empty when nothing. */
  readonly notes: readonly string[];
}

/** The folder holding a workspace's runs. */
export function runsRoot(workspace: string): string {
  return join(workspace, 'runs');
}

/** Writes a new run's config.json, then its run.json (status 'created'), into an existing empty folder. */
export async function writeNewRun(dir: string, id: string, config: TrainingConfig, name: string, fs: FileSystem = nodeFileSystem): Promise<RunRecord> {
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
  // config.json first: a folder with run.json always has its config (and one without run.json is rebuilt from it).
  await writeFileAtomic(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, fs);
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`, fs);
  return record;
}

/**
 * Creates a run folder with config.json and run.json from a config already validated where it entered the process;
 * returns its id, folder and status record. Both files are written into a hidden staging folder renamed into place in
 * one step, so a crash never leaves a half-made run in the list.
 */
export async function createRun(workspace: string, config: TrainingConfig, name?: string, fs: FileSystem = nodeFileSystem): Promise<{ id: string; dir: string; record: RunRecord }> {
  const now = new Date();
  const id = `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
  const root = runsRoot(workspace);
  const dir = join(root, id);
  const staging = join(root, `.creating-${id}`);
  await ensureDir(root, fs);
  let record: RunRecord;
  try {
    await fs.mkdir(staging);
    record = await writeNewRun(staging, id, config, name ?? `${config.data.source === 'builtin' ? config.data.id : 'data'} ${now.toISOString().slice(0, 16).replace('T', ' ')}`, fs);
    await fs.rename(staging, dir);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(root, fs);
  return { id, dir, record };
}

/** Reads and validates a run's run.json (strict: a missing or damaged file throws; loadRun rebuilds one). */
export function readRunRecord(dir: string): Promise<RunRecord> {
  return readJsonFile(join(dir, 'run.json'), runRecordSchema);
}

/** Reads and validates a run's config.json; it cannot be rebuilt, so a missing or damaged one throws naming it. */
async function readConfig(dir: string): Promise<TrainingConfig> {
  const path = join(dir, 'config.json');
  const raw = await readJsonFile(path, z.unknown()).catch(async (err: unknown) => {
    // Neither file: the folder was never a run, which says more than the missing config.json.
    if (err instanceof StudioError && err.code === 'not-found' && !(await access(join(dir, 'run.json')).then(() => true, () => false))) {
      throw new StudioError('not-found', `${dir} is not a run folder: it has no config.json or run.json`);
    }
    throw err;
  });
  try {
    return parseTrainingConfig(raw);
  } catch (err) {
    throw new StudioError('invalid-argument', `${path} is damaged: ${(err as Error).message}`);
  }
}

/** run.json as it is, or rebuilt from config.json and the checkpoints when it is missing or damaged (with a note). */
async function recordOf(dir: string, config: TrainingConfig): Promise<{ record: RunRecord; notes: string[] }> {
  try {
    return { record: await readRunRecord(dir), notes: [] };
  } catch (err) {
    if (!(err instanceof StudioError) || (err.code !== 'not-found' && err.code !== 'invalid-argument')) throw err;
    const { record, note } = await rebuildRunRecord(dir, config, err.message);
    return { record, notes: [note] };
  }
}

/**
 * Applies a change (or a change computed from the current record) to run.json atomically and returns the new record
 * (one writer per run: the supervisor); a missing or damaged run.json is rebuilt first.
 */
export async function updateRun(dir: string, update: RunUpdate | ((current: RunRecord) => RunUpdate), fs: FileSystem = nodeFileSystem): Promise<RunRecord> {
  let current: RunRecord;
  try {
    current = await readRunRecord(dir);
  } catch (err) {
    if (!(err instanceof StudioError) || (err.code !== 'not-found' && err.code !== 'invalid-argument')) throw err;
    current = (await recordOf(dir, await readConfig(dir))).record;
  }
  const next = { ...current, ...(typeof update === 'function' ? update(current) : update), updatedAt: new Date().toISOString() };
  const checked = parseOrThrow(runRecordSchema, next, 'run update');
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(checked, null, 2)}\n`, fs);
  return checked;
}

/**
 * Loads a run folder: its validated config and status record. A missing or damaged run.json is rebuilt in memory from
 * config.json and the checkpoints (notes say so; the next update writes it); a missing or damaged config.json throws naming it.
 */
export async function loadRun(dir: string): Promise<RunInfo> {
  const config = await readConfig(dir);
  const { record, notes } = await recordOf(dir, config);
  if (notes.length === 0 && configHash(config) !== record.configHash) {
    throw new StudioError('invalid-argument', `${join(dir, 'config.json')} does not match the hash in run.json: it was changed after the run was created`);
  }
  return { id: record.id, dir, config, record, notes };
}

/** Every readable run of a workspace, oldest first, and the folders that could not be read with the reason (hidden staging folders are skipped). */
export async function listRuns(workspace: string): Promise<{ runs: RunInfo[]; unreadable: { dir: string; error: string }[] }> {
  const root = runsRoot(workspace);
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
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

