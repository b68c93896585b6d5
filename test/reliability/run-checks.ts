// The invariants of a run folder after any fault, shared by the fault and lifecycle tests: every checkpoint file reads, metrics steps strictly increase.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint } from '../../src-main/runs';

/** What a run folder held when checked. */
interface RunFilesState {
  /** Checkpoint files found (each one decoded and verified). */
  readonly checkpoints: number;
  /** Checkpoint files that did not decode (must be 0). */
  readonly unreadable: readonly string[];
  /** The steps of metrics.jsonl's complete lines, in file order. */
  readonly steps: readonly number[];
  /** Complete lines whose step did not exceed the one before (must be 0). */
  readonly outOfOrder: number;
  /** Complete lines that are not JSON (must be 0: a kill tears only the last, unterminated line). */
  readonly damaged: number;
}

/** Reads every checkpoint file and every complete metrics line of a run folder, raw, without any repair. */
export async function inspectRunFiles(dir: string): Promise<RunFilesState> {
  const folder = join(dir, 'checkpoints');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => /^ckpt-\d+\.bin$/.test(n));
  const unreadable: string[] = [];
  for (const n of names) {
    try {
      decodeCheckpoint(await readFile(join(folder, n)), n);
    } catch (err) {
      // removed by the keep-last-N pruning between the listing and the read: gone, not damaged
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(`${n}: ${(err as Error).message}`);
    }
  }
  const text = await readFile(join(dir, 'metrics.jsonl'), 'utf8').catch(() => '');
  const lines = text.split('\n').slice(0, -1); // the part after the last newline is an unfinished append
  const steps: number[] = [];
  let outOfOrder = 0;
  let damaged = 0;
  for (const line of lines) {
    let step: unknown;
    try {
      step = (JSON.parse(line) as { step?: unknown }).step;
    } catch {
      damaged++;
      continue;
    }
    if (typeof step !== 'number') {
      damaged++;
      continue;
    }
    if (steps.length > 0 && step <= steps[steps.length - 1]) outOfOrder++;
    steps.push(step);
  }
  return { checkpoints: names.length, unreadable, steps, outOfOrder, damaged };
}

/** The median and maximum of some numbers. */
export function medianMax(values: readonly number[]): { median: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s.length ? s[Math.floor(s.length / 2)] : NaN, max: s.length ? s[s.length - 1] : NaN };
}
