// A run's checkpoints/ folder: durable writes, the latest.json manifest as commit point, keep-last-N, and verified reads with fallback.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { describeDetails, detailsOf, safeParseStudio } from '../../src-core/validation';
import { ensureDir, syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem } from '../workspace/file-system';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint-format';

/** Points of writeCheckpoint after which a crash may happen (for tests that simulate one). */
export type CheckpointStage = 'temp-written' | 'renamed' | 'manifest-written' | 'pruned';

/** Options of writeCheckpoint. */
interface WriteCheckpointOptions {
  /** How many committed checkpoints to keep (the new one included); default 3. */
  readonly keep?: number;
  /** Test hook called after each stage; throwing from it stops the write there, as a crash would. */
  readonly onStage?: (stage: CheckpointStage) => void | Promise<void>;
  /** Where the writes go; default the real file system. */
  readonly fs?: FileSystem;
}

/** What readLatestCheckpoint found. */
export interface LatestCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The file it came from, relative to the run folder. */
  readonly file: string;
  /** True when a newer checkpoint was damaged or missing and an older one was used. */
  readonly fellBack: boolean;
  /** One line per checkpoint or manifest that could not be used, and why. */
  readonly problems: readonly string[];
}

const CHECKPOINTS = 'checkpoints';
const MANIFEST = 'latest.json';
const FILE_PATTERN = /^ckpt-(\d+)\.bin$/;

const manifestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  step: z.number().int().min(0),
  file: z.string().regex(FILE_PATTERN),
  bytes: z.number().int().min(0),
  writtenAt: z.string(),
});

/** The file name of the checkpoint of a step. */
function checkpointFileName(step: number): string {
  return `ckpt-${step}.bin`;
}

/** Checkpoint files in a folder with their steps, newest first; temp files and others are left out. */
async function listCheckpointFiles(folder: string): Promise<{ file: string; step: number }[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((e): e is { file: string; match: RegExpExecArray } => e.match !== null)
    .map((e) => ({ file: e.file, step: Number(e.match[1]) }))
    .sort((a, b) => b.step - a.step);
}

/**
 * Writes a checkpoint durably into <runDir>/checkpoints/: temp file + fsync, rename, fsync folder; then swaps
 * latest.json (the commit point); only then deletes checkpoints beyond the newest `keep`, uncommitted ones and temp files.
 */
export async function writeCheckpoint(runDir: string, ckpt: Checkpoint, options: WriteCheckpointOptions = {}): Promise<string> {
  const keep = options.keep ?? 3;
  if (!Number.isInteger(keep) || keep < 1) throw new StudioError('invalid-argument', `keep must be an integer >= 1, got ${keep}`);
  const stage = options.onStage ?? (() => undefined);
  const fs = options.fs ?? nodeFileSystem;
  const folder = join(runDir, CHECKPOINTS);
  const bytes = encodeCheckpoint(ckpt);
  const name = checkpointFileName(ckpt.step);
  const tmp = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  await ensureDir(folder, fs); // the new folder's entry is durable before anything in it counts
  const handle = await fs.open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await stage('temp-written');
  await fs.rename(tmp, join(folder, name));
  await syncDirectory(folder, fs);
  await stage('renamed');
  const manifest: z.output<typeof manifestSchema> = { schemaVersion: 1, step: ckpt.step, file: name, bytes: bytes.length, writtenAt: new Date().toISOString() };
  await writeFileAtomic(join(folder, MANIFEST), JSON.stringify(manifest, null, 2), fs);
  await stage('manifest-written');
  await prune(folder, ckpt.step, keep, fs);
  await stage('pruned');
  return join(CHECKPOINTS, name);
}

/** Deletes checkpoints older than the newest `keep`, any newer than the committed step (an abandoned continuation) and temp files. */
async function prune(folder: string, committedStep: number, keep: number, fs: FileSystem): Promise<void> {
  const files = await listCheckpointFiles(folder);
  const committed = files.filter((f) => f.step <= committedStep);
  const doomed = [...files.filter((f) => f.step > committedStep), ...committed.slice(keep)].map((f) => f.file);
  for (const name of await readdir(folder)) if (name.startsWith('.') && name.endsWith('.tmp')) doomed.push(name);
  for (const name of doomed) await fs.rm(join(folder, name), { force: true });
  if (doomed.length > 0) await syncDirectory(folder, fs);
}

/** Reads latest.json, or explains why it cannot be used. */
async function readManifest(folder: string): Promise<{ step: number; file: string } | string> {
  let text: string;
  try {
    text = await readFile(join(folder, MANIFEST), 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${CHECKPOINTS}/${MANIFEST} is missing` : `${CHECKPOINTS}/${MANIFEST}: ${(err as Error).message}`;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `${CHECKPOINTS}/${MANIFEST} is damaged: not JSON`;
  }
  const parsed = safeParseStudio(manifestSchema, raw);
  if (!parsed.success) return `${CHECKPOINTS}/${MANIFEST} is damaged: ${describeDetails(detailsOf(parsed.error))}`;
  if (parsed.data.file !== checkpointFileName(parsed.data.step)) return `${CHECKPOINTS}/${MANIFEST} is damaged: file ${parsed.data.file} does not match step ${parsed.data.step}`;
  return parsed.data;
}

/**
 * The newest committed checkpoint that verifies, or null for a run that has none yet. The manifest's checkpoint is tried
 * first, then older files (a file newer than the manifest is an uncommitted write and is skipped); if every candidate is
 * damaged it throws naming each problem.
 */
export async function readLatestCheckpoint(runDir: string): Promise<LatestCheckpoint | null> {
  const folder = join(runDir, CHECKPOINTS);
  const problems: string[] = [];
  const manifest = await readManifest(folder);
  let files = await listCheckpointFiles(folder);
  if (typeof manifest === 'string') {
    if (files.length > 0) problems.push(manifest);
  } else {
    for (const f of files) if (f.step > manifest.step) problems.push(`${CHECKPOINTS}/${f.file} is newer than the manifest (an interrupted write): skipped`);
    files = files.filter((f) => f.step <= manifest.step);
    if (files.length === 0 || files[0].step !== manifest.step) problems.push(`${CHECKPOINTS}/${manifest.file} named by the manifest is missing`);
  }
  if (files.length === 0 && typeof manifest === 'string') return null;
  for (const f of files) {
    const rel = `${CHECKPOINTS}/${f.file}`;
    try {
      const checkpoint = decodeCheckpoint(await readFile(join(folder, f.file)), rel);
      if (checkpoint.step !== f.step) throw new StudioError('invalid-argument', `checkpoint ${rel} is damaged: it holds step ${checkpoint.step}`);
      return { checkpoint, file: rel, fellBack: problems.length > 0, problems };
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  throw new StudioError('invalid-argument', `no usable checkpoint in ${folder}: ${problems.join('; ')}`);
}
