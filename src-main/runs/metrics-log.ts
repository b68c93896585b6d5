// metrics.jsonl: an append-only log, one JSON record per line with its step; torn tails dropped, steps strictly increasing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { parseOrThrow } from '../../src-core/validation';
import { syncDirectory, writeFileAtomic } from '../workspace/atomic-write';
import { nodeFileSystem, type FileSystem, type WritableFile } from '../workspace/file-system';
import { gather, minMaxIndices } from './downsample';

/** The log's file name inside a run folder. */
export const METRICS_FILE = 'metrics.jsonl';

/** Columns a record may carry besides its step; a missing or non-finite value reads back as NaN. */
const METRIC_COLUMNS = ['loss', 'smoothedLoss', 'lr', 'gradNorm', 'stepsPerSec', 'time'] as const;
/** One of METRIC_COLUMNS. */
type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** One line of the log: the step and what was measured there (`time` in ms since the epoch). */
type MetricRecord = { readonly step: number } & { readonly [K in MetricColumn]?: number | null };

// JSON has no NaN or Infinity: a non-finite value is written as null.
const value = z.number().nullable().optional();
const recordSchema = z.strictObject({ step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), loss: value, smoothedLoss: value, lr: value, gradNorm: value, stepsPerSec: value, time: value });

/** A line of the log that was left out, and why. */
interface Dropped {
  readonly line: number;
  /** Byte offset of the line's start. */
  readonly start: number;
  readonly why: 'damaged' | 'out of order';
}

/** What a scan of the log's bytes found: the kept records with the byte range of each, the lines left out, and a torn tail. */
interface Scan {
  readonly records: MetricRecord[];
  readonly starts: number[];
  readonly ends: number[];
  readonly dropped: Dropped[];
  readonly torn: boolean;
}

/**
 * Reads every line it can. A last line without its newline (or an unparsable last line) is a write cut short by a crash
 * and is dropped; a damaged line in the middle (a flipped byte, a bad sector) is dropped too, and so are records whose
 * steps break the strict order (the fewest possible: the longest strictly increasing run of steps is kept), because the
 * checkpoints, not this log, are what a run resumes from.
 */
function scanLog(buf: Buffer): Scan {
  const lines: { record: MetricRecord; line: number; start: number; end: number }[] = [];
  const dropped: Dropped[] = [];
  let start = 0;
  let line = 0;
  let torn = false;
  while (start < buf.length) {
    line++;
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    let record: MetricRecord | null = null;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(buf.toString('utf8', start, end)));
      if (parsed.success) record = parsed.data;
    } catch {
      record = null;
    }
    const isLast = nl < 0 || nl + 1 >= buf.length;
    if (isLast && (nl < 0 || record === null)) {
      torn = true;
      break;
    }
    if (record === null) dropped.push({ line, start, why: 'damaged' });
    else lines.push({ record, line, start, end: end + 1 });
    start = end + 1;
  }
  const keep = longestIncreasing(lines.map((l) => l.record.step));
  const kept = keep.map((i) => lines[i]);
  const keptSet = new Set(keep);
  lines.forEach((l, i) => {
    if (!keptSet.has(i)) dropped.push({ line: l.line, start: l.start, why: 'out of order' });
  });
  dropped.sort((a, b) => a.line - b.line);
  return { records: kept.map((l) => l.record), starts: kept.map((l) => l.start), ends: kept.map((l) => l.end), dropped, torn };
}

/** Indices of a longest strictly increasing subsequence (patience sorting, O(n log n)); the whole range when already sorted. */
function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = []; // tails[k]: index of the smallest last value of an increasing run of length k + 1
  const prev = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo < tails.length && values[tails[lo]] === values[i]) continue; // a repeat: the first of equal steps is kept
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.push(i);
  return out.reverse();
}

/** One sentence naming the lines a scan left out (the first few line numbers of each kind). */
function describeDropped(file: string, dropped: readonly Dropped[]): string | null {
  if (dropped.length === 0) return null;
  const part = (why: Dropped['why'], what: string): string | null => {
    const lines = dropped.filter((d) => d.why === why).map((d) => d.line);
    if (lines.length === 0) return null;
    const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', ...' : '');
    return `${lines.length} ${what}${lines.length === 1 ? '' : 's'} (line${lines.length === 1 ? '' : 's'} ${shown})`;
  };
  const parts = [part('damaged', 'damaged line'), part('out of order', 'record out of step order')].filter((p) => p !== null);
  return `${file}: dropped ${parts.join(' and ')}; the checkpoints are unaffected`;
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StudioError('invalid-argument', `${path} cannot be read: ${(err as Error).message}`);
  }
}

/** Options of MetricsLog.open. */
interface MetricsLogOptions {
  /** On resume from a checkpoint: drop the records after this step (they belong to the lost continuation). */
  readonly truncateAfterStep?: number;
  /** Longest time an appended record waits before it is written and fsynced; default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Where the writes go; default the real file system. */
  readonly fs?: FileSystem;
}

/**
 * The writer of one run's metrics.jsonl (one writer per file). Appends are buffered and written with one fsync at most
 * every flushIntervalMs, because a step can take well under a millisecond and an fsync per line would cost more than the
 * step; a crash loses at most that window, which a resume from the last checkpoint redoes anyway.
 */
export class MetricsLog {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: WritableFile,
    private last: number | null,
    /** True if open() dropped a torn last line. */
    readonly droppedTornLine: boolean,
    /** What open() dropped besides a torn tail (damaged or out-of-order lines, missing steps), one sentence each. */
    readonly notes: readonly string[],
    private readonly intervalMs: number,
  ) {}

  /**
   * Opens (or creates) a run's log: a torn tail is cut, damaged or out-of-order lines are dropped (the file rewritten
   * without them, atomically) and, if asked, the records after a checkpoint's step; `notes` says what was lost.
   */
  static async open(runDir: string, options: MetricsLogOptions = {}): Promise<MetricsLog> {
    const fs = options.fs ?? nodeFileSystem;
    const path = join(runDir, METRICS_FILE);
    const existing = await readIfExists(path);
    const buf = existing ?? Buffer.alloc(0);
    const scan = scanLog(buf);
    let kept = scan.records.length;
    const cut = options.truncateAfterStep;
    if (cut !== undefined) while (kept > 0 && scan.records[kept - 1].step > cut) kept--;
    const keptEnd = kept > 0 ? scan.ends[kept - 1] : 0;
    // Lines dropped after the cut belonged to the continuation a resume trains again: only those before it are news.
    const dropped = scan.dropped.filter((d) => d.start < keptEnd);
    const notes: string[] = [];
    const damage = describeDropped(path, dropped);
    if (damage) notes.push(damage);
    const last = kept > 0 ? scan.records[kept - 1].step : null;
    if (cut !== undefined && cut > 0 && (last ?? 0) < cut) notes.push(`${path} has no records of steps ${(last ?? 0) + 1} to ${cut}: the loss chart has a gap there`);
    let size = keptEnd;
    if (dropped.length > 0) {
      // records kept on both sides of a dropped line: write the kept ones whole, as one atomic replacement
      const text = Buffer.concat(scan.starts.slice(0, kept).map((s, i) => buf.subarray(s, scan.ends[i])));
      await writeFileAtomic(path, text, fs);
      size = text.length;
    }
    const handle = await fs.open(path, 'a+');
    try {
      if ((await handle.stat()).size !== size) {
        await handle.truncate(size);
        await handle.sync();
      }
      // A new file's name is durable only once its folder is synced: without this, records fsynced into it could all
      // vanish with the name at a power loss.
      if (existing === null) await syncDirectory(runDir, fs);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    return new MetricsLog(path, handle, last, scan.torn, notes, options.flushIntervalMs ?? 1000);
  }

  /** The step of the last record, or null for an empty log. */
  get lastStep(): number | null {
    return this.last;
  }

  /** Queues one record; throws if the step does not exceed the last one, if the log is closed or a write failed. */
  append(record: MetricRecord): void {
    if (this.failure) throw new StudioError('internal', `${this.path}: an earlier write failed: ${this.failure.message}`);
    if (this.closed) throw new StudioError('invalid-argument', `${this.path} is closed`);
    const clean: Record<string, number | null> = { step: record.step };
    for (const k of METRIC_COLUMNS) {
      const v = record[k];
      if (v !== undefined) clean[k] = v !== null && Number.isFinite(v) ? v : null;
    }
    parseOrThrow(recordSchema, clean, 'metric record');
    if (this.last !== null && record.step <= this.last) {
      throw new StudioError('invalid-argument', `${this.path}: step ${record.step} does not follow the last logged step ${this.last}; steps must strictly increase`);
    }
    this.pending.push(`${JSON.stringify(clean)}\n`);
    this.last = record.step;
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch(() => undefined); // kept in this.failure and reported by the next call
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes and fsyncs every queued record. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const text = this.pending.join('');
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (this.failure) throw this.failure;
      if (text.length === 0) return;
      try {
        await this.handle.appendFile(text);
        await this.handle.sync();
      } catch (err) {
        this.failure = err as Error;
        throw err;
      }
    });
    return this.writing;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}

/** Columns of a log as Float64Array, one entry per kept record. */
type MetricColumns = { readonly step: Float64Array } & { readonly [K in MetricColumn]: Float64Array };

/** Options of readMetrics. */
interface ReadMetricsOptions {
  /** Only records with step >= fromStep. */
  readonly fromStep?: number;
  /** Downsample to at most this many points (first, last and per-bucket min/max of `by` kept). */
  readonly maxPoints?: number;
  /** The column whose extremes downsampling keeps; default 'loss'. */
  readonly by?: MetricColumn;
}

/** Reads a run's metrics as columns (read-only: a torn tail, e.g. a line being appended now, and damaged lines are skipped, not cut). */
export async function readMetrics(runDir: string, options: ReadMetricsOptions = {}): Promise<MetricColumns & { readonly total: number }> {
  const path = join(runDir, METRICS_FILE);
  const { records } = scanLog((await readIfExists(path)) ?? Buffer.alloc(0));
  const from = options.fromStep ?? 0;
  const kept = records.filter((r) => r.step >= from);
  const cols = { step: Float64Array.from(kept, (r) => r.step) } as Record<'step' | MetricColumn, Float64Array>;
  for (const k of METRIC_COLUMNS) cols[k] = Float64Array.from(kept, (r) => r[k] ?? NaN);
  if (options.maxPoints === undefined || kept.length <= options.maxPoints) return { ...cols, total: kept.length };
  const idx = minMaxIndices(cols[options.by ?? 'loss'], options.maxPoints);
  const out = { step: gather(cols.step, idx) } as Record<'step' | MetricColumn, Float64Array>;
  for (const k of METRIC_COLUMNS) out[k] = gather(cols[k], idx);
  return { ...out, total: kept.length };
}
