// metrics.jsonl: an append-only log, one JSON record per line with its step; torn tails dropped, steps strictly increasing.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { parseOrThrow } from '../../src-core/validation';
import { gather, minMaxIndices } from './downsample';

/** The log's file name inside a run folder. */
export const METRICS_FILE = 'metrics.jsonl';

/** Columns a record may carry besides its step; a missing or non-finite value reads back as NaN. */
export const METRIC_COLUMNS = ['loss', 'smoothedLoss', 'lr', 'gradNorm', 'stepsPerSec', 'time'] as const;
/** One of METRIC_COLUMNS. */
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** One line of the log: the step and what was measured there (`time` in ms since the epoch). */
export type MetricRecord = { readonly step: number } & { readonly [K in MetricColumn]?: number | null };

// JSON has no NaN or Infinity: a non-finite value is written as null.
const value = z.number().nullable().optional();
const recordSchema = z.strictObject({ step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), loss: value, smoothedLoss: value, lr: value, gradNorm: value, stepsPerSec: value, time: value });

/** What a scan of the log's bytes found: the records, the byte offset just past each, and a torn tail if any. */
interface Scan {
  readonly records: MetricRecord[];
  readonly ends: number[];
  readonly torn: boolean;
}

function scanLog(buf: Buffer, file: string): Scan {
  const records: MetricRecord[] = [];
  const ends: number[] = [];
  let start = 0;
  let line = 0;
  let torn = false;
  while (start < buf.length) {
    line++;
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    const text = buf.toString('utf8', start, end);
    let raw: unknown;
    let parsedJson = true;
    try {
      raw = JSON.parse(text);
    } catch {
      parsedJson = false;
    }
    const isLast = nl < 0 || nl + 1 >= buf.length;
    // A line without its newline, or an unparsable last line, is a write cut short by a crash: drop it.
    if (isLast && (nl < 0 || !parsedJson)) {
      torn = true;
      break;
    }
    if (!parsedJson) throw new StudioError('invalid-argument', `${file} is damaged: line ${line} is not JSON`);
    const record = parseOrThrow(recordSchema, raw, `${file} is damaged: line ${line}`);
    const prev = records.length ? records[records.length - 1].step : -1;
    if (record.step <= prev) throw new StudioError('invalid-argument', `${file} is damaged: line ${line} has step ${record.step} after step ${prev}`);
    records.push(record);
    ends.push(end + 1);
    start = end + 1;
  }
  return { records, ends, torn };
}

async function readIfExists(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw new StudioError('invalid-argument', `${path} cannot be read: ${(err as Error).message}`);
  }
}

/** Options of MetricsLog.open. */
export interface MetricsLogOptions {
  /** On resume from a checkpoint: drop the records after this step (they belong to the lost continuation). */
  readonly truncateAfterStep?: number;
  /** Longest time an appended record waits before it is written and fsynced; default 1000 ms. */
  readonly flushIntervalMs?: number;
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
    private readonly handle: FileHandle,
    private last: number | null,
    /** True if open() dropped a torn last line. */
    readonly droppedTornLine: boolean,
    private readonly intervalMs: number,
  ) {}

  /** Opens (or creates) a run's log, cuts a torn tail and, if asked, the records after a checkpoint's step. */
  static async open(runDir: string, options: MetricsLogOptions = {}): Promise<MetricsLog> {
    const path = join(runDir, METRICS_FILE);
    const scan = scanLog(await readIfExists(path), path);
    let kept = scan.records.length;
    if (options.truncateAfterStep !== undefined) while (kept > 0 && scan.records[kept - 1].step > options.truncateAfterStep) kept--;
    const goodBytes = kept > 0 ? scan.ends[kept - 1] : 0;
    const handle = await open(path, 'a+');
    try {
      if ((await handle.stat()).size !== goodBytes) {
        await handle.truncate(goodBytes);
        await handle.sync();
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    const last = kept > 0 ? scan.records[kept - 1].step : null;
    return new MetricsLog(path, handle, last, scan.torn, options.flushIntervalMs ?? 1000);
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
export type MetricColumns = { readonly step: Float64Array } & { readonly [K in MetricColumn]: Float64Array };

/** Options of readMetrics. */
export interface ReadMetricsOptions {
  /** Only records with step >= fromStep. */
  readonly fromStep?: number;
  /** Downsample to at most this many points (first, last and per-bucket min/max of `by` kept). */
  readonly maxPoints?: number;
  /** The column whose extremes downsampling keeps; default 'loss'. */
  readonly by?: MetricColumn;
}

/** Reads a run's metrics as columns (read-only: a torn tail, e.g. a line being appended now, is skipped, not cut). */
export async function readMetrics(runDir: string, options: ReadMetricsOptions = {}): Promise<MetricColumns & { readonly total: number }> {
  const path = join(runDir, METRICS_FILE);
  const { records } = scanLog(await readIfExists(path), path);
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
