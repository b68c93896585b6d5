// A run.json rebuilt from what outlives it: config.json, the checkpoints, and whichever fields of a damaged file still read.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StudioError } from '../../src-core/errors';
import { isFinal } from '../../src-core/training/run-status';
import type { TrainingConfig } from '../../src-core/training/config';
import { RUN_ID } from '../../src-core/training/run-id';
import { readLatestCheckpoint, type LatestCheckpoint } from './checkpoint-store';
import { configHash, runRecordFields, type RunRecord } from './run-record';

/** The fields taken over from a damaged run.json when they still read (the rest follows from the checkpoints). */
const SALVAGED = ['name', 'status', 'createdAt', 'startedAt', 'finishedAt'] as const;
type Salvaged = Partial<Pick<RunRecord, (typeof SALVAGED)[number]>>;

/** Each field of SALVAGED that a damaged or truncated run.json still holds intact. */
async function salvage(path: string): Promise<Salvaged> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let whole: Record<string, unknown> | null = null;
  try {
    const raw: unknown = JSON.parse(text);
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) whole = raw as Record<string, unknown>;
  } catch {
    whole = null;
  }
  const out: Record<string, unknown> = {};
  for (const key of SALVAGED) {
    let value: unknown;
    if (whole) value = whole[key];
    else {
      // a cut-short file: a field counts only when its whole value (a JSON string or null) is there
      const m = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\\\u0000-\\u001f]|\\\\.)*"|null)\\s*[,}\\n]`).exec(text);
      if (!m) continue;
      try {
        value = JSON.parse(m[1]);
      } catch {
        continue;
      }
    }
    const parsed = runRecordFields[key].safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Salvaged;
}

/**
 * Rebuilds the status record of a run whose run.json is missing or damaged (`why` says which): the checkpoints say how
 * far it got, config.json what it trains, a damaged file's readable fields its name and dates. The note says what was
 * rebuilt; it also becomes the record's error line, so the person sees it in the run list and the command line.
 */
export async function rebuildRunRecord(dir: string, config: TrainingConfig, why: string): Promise<{ record: RunRecord; note: string }> {
  const id = basename(dir);
  if (!RUN_ID.test(id)) throw new StudioError('invalid-argument', `${why}; the folder name '${id}' is not a run id to rebuild it under`);
  const old = await salvage(join(dir, 'run.json'));
  let latest: LatestCheckpoint | null = null;
  let unusable: string | null = null;
  try {
    latest = await readLatestCheckpoint(dir);
  } catch (err) {
    unusable = (err as Error).message;
  }
  const hash = configHash(config);
  if (latest && latest.checkpoint.configHash !== hash) {
    throw new StudioError('invalid-argument', `${why}; config.json does not match the config its checkpoints were trained under (it was changed after the run was created), so it cannot be rebuilt`);
  }
  const step = latest?.checkpoint.step ?? 0;
  const now = new Date().toISOString();
  const status: RunRecord['status'] = unusable !== null ? 'failed'
    : latest && step >= config.steps ? 'completed'
    : old.status === 'cancelled' ? 'cancelled'
    : latest ? 'paused'
    : 'created';
  const createdAt = old.createdAt ?? (await stat(join(dir, 'config.json'))).mtime.toISOString();
  const finished = isFinal(status);
  const kept = SALVAGED.filter((k) => old[k] !== undefined && k !== 'status');
  const from = latest ? `the checkpoint of step ${step}` : unusable !== null ? `no usable checkpoint (${unusable})` : 'no checkpoint yet';
  const note = `${why}: rebuilt from config.json and ${from}${kept.length ? `, with its ${kept.join(', ')} kept` : ''}`;
  const record: RunRecord = {
    schemaVersion: 1,
    id,
    name: old.name ?? id,
    status,
    createdAt,
    updatedAt: now,
    startedAt: old.startedAt ?? (latest ? createdAt : null),
    finishedAt: finished ? (old.finishedAt ?? now) : null,
    lastStep: step,
    backend: latest ? { name: latest.checkpoint.backend, note: `read from the checkpoint of step ${step}` } : null,
    error: note,
    configHash: hash,
  };
  return { record, note };
}
