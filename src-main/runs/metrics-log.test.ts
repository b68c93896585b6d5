// metrics.jsonl: round trip, torn-tail repair, strictly increasing steps, resume truncation and downsampling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minMaxIndices } from './downsample';
import { METRICS_FILE, MetricsLog, readMetrics } from './metrics-log';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeSteps(from: number, to: number): Promise<void> {
  const log = await MetricsLog.open(dir);
  for (let s = from; s <= to; s++) log.append({ step: s, loss: 1 / s, smoothedLoss: 2 / s, lr: 1e-3, gradNorm: s, stepsPerSec: 100, time: 1_700_000_000_000 + s });
  await log.close();
}

describe('MetricsLog', () => {
  it('round-trips records as columns, non-finite and missing values as NaN', async () => {
    const log = await MetricsLog.open(dir);
    log.append({ step: 1, loss: 0.5, lr: 1e-3, time: 10 });
    log.append({ step: 2, loss: Number.NaN, gradNorm: Infinity, time: 11 });
    log.append({ step: 5, loss: 0.25, smoothedLoss: 0.4, time: 12 });
    await log.close();
    const m = await readMetrics(dir);
    expect(Array.from(m.step)).toEqual([1, 2, 5]);
    expect(Array.from(m.loss)).toEqual([0.5, NaN, 0.25]);
    expect(Array.from(m.lr)).toEqual([1e-3, NaN, NaN]);
    expect(Array.from(m.gradNorm)).toEqual([NaN, NaN, NaN]);
    expect(m.total).toBe(3);
    expect(Array.from((await readMetrics(dir, { fromStep: 2 })).step)).toEqual([2, 5]);
  });

  it('batches appends: nothing is written until the interval passes or flush is called', async () => {
    const log = await MetricsLog.open(dir, { flushIntervalMs: 60_000 });
    log.append({ step: 1, loss: 1 });
    expect(await readFile(join(dir, METRICS_FILE), 'utf8')).toBe('');
    await log.flush();
    expect(await readFile(join(dir, METRICS_FILE), 'utf8')).toBe('{"step":1,"loss":1}\n');
    await log.close();
  });

  it('drops a torn last line on open and continues from the last good step', async () => {
    await writeSteps(1, 10);
    const path = join(dir, METRICS_FILE);
    const good = await readFile(path, 'utf8');
    await appendFile(path, '{"step":11,"loss":0.0');
    // A reader skips the torn line without touching the file.
    expect((await readMetrics(dir)).total).toBe(10);
    expect((await readFile(path, 'utf8')).length).toBeGreaterThan(good.length);
    const log = await MetricsLog.open(dir);
    expect(log.droppedTornLine).toBe(true);
    expect(log.lastStep).toBe(10);
    expect(await readFile(path, 'utf8')).toBe(good);
    log.append({ step: 11, loss: 0.1 });
    await log.close();
    const m = await readMetrics(dir);
    expect(Array.from(m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('drops an unparsable last line even when it ends in a newline', async () => {
    await writeSteps(1, 3);
    await appendFile(join(dir, METRICS_FILE), '\u0000\u0000\u0000\n');
    const log = await MetricsLog.open(dir);
    expect([log.droppedTornLine, log.lastStep]).toEqual([true, 3]);
    await log.close();
  });

  it('refuses a step that does not increase, also after a reopen', async () => {
    await writeSteps(1, 5);
    const log = await MetricsLog.open(dir);
    expect(() => log.append({ step: 5, loss: 1 })).toThrow(/step 5 does not follow the last logged step 5/);
    expect(() => log.append({ step: 3, loss: 1 })).toThrow(/steps must strictly increase/);
    log.append({ step: 6, loss: 1 });
    expect(() => log.append({ step: 6, loss: 1 })).toThrow(/step 6/);
    await log.close();
  });

  it('cuts the records after a checkpoint step on resume', async () => {
    await writeSteps(1, 20);
    const log = await MetricsLog.open(dir, { truncateAfterStep: 12 });
    expect(log.lastStep).toBe(12);
    log.append({ step: 13, loss: 0 });
    await log.close();
    expect(Array.from((await readMetrics(dir)).step)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it('drops a damaged line in the middle, names it, and rewrites the file without it', async () => {
    await writeFile(join(dir, METRICS_FILE), '{"step":1}\nnot json\n{"step":3}\n');
    expect(Array.from((await readMetrics(dir)).step)).toEqual([1, 3]);
    const log = await MetricsLog.open(dir);
    expect(log.notes.join()).toMatch(/metrics\.jsonl: dropped 1 damaged line \(line 2\); the checkpoints are unaffected/);
    log.append({ step: 4, loss: 1 });
    await log.close();
    expect(await readFile(join(dir, METRICS_FILE), 'utf8')).toBe('{"step":1}\n{"step":3}\n{"step":4,"loss":1}\n');
  });

  it('keeps the longest strictly increasing run of steps: a flipped digit or a repeated step drops one record', async () => {
    await writeSteps(1, 10);
    const text = await readFile(join(dir, METRICS_FILE), 'utf8');
    // step 5 -> 95: still JSON and a valid record, but out of order
    await writeFile(join(dir, METRICS_FILE), text.replace('{"step":5,', '{"step":95,'));
    expect(Array.from((await readMetrics(dir)).step)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    await writeFile(join(dir, METRICS_FILE), '{"step":1}\n{"step":1}\n{"step":3}\n');
    const log = await MetricsLog.open(dir);
    expect(log.notes.join()).toMatch(/dropped 1 record out of step order \(line 2\)/);
    expect(log.lastStep).toBe(3);
    await log.close();
    await writeFile(join(dir, METRICS_FILE), '{"step":1,"loss":"x"}\n{"step":3}\n');
    expect(Array.from((await readMetrics(dir)).step)).toEqual([3]);
  });

  it('says nothing of lines after the resume point, and names a gap before it', async () => {
    await writeFile(join(dir, METRICS_FILE), '{"step":1}\n{"step":2}\nnot json\n{"step":4}\n');
    const cut = await MetricsLog.open(dir, { truncateAfterStep: 2 });
    expect(cut.notes).toEqual([]);
    await cut.close();
    expect(await readFile(join(dir, METRICS_FILE), 'utf8')).toBe('{"step":1}\n{"step":2}\n');
    const gap = await MetricsLog.open(dir, { truncateAfterStep: 5 });
    expect(gap.notes.join()).toMatch(/no records of steps 3 to 5/);
    await gap.close();
  });

  it('reads an absent log as empty', async () => {
    expect((await readMetrics(dir)).total).toBe(0);
  });
});

describe('downsampling', () => {
  it('keeps the first and last points and the extremes', async () => {
    const n = 10_000;
    const log = await MetricsLog.open(dir);
    for (let s = 1; s <= n; s++) {
      const spike = s === 4321 ? 50 : s === 7777 ? -3 : 0;
      log.append({ step: s, loss: 1 + Math.sin(s / 100) + spike });
    }
    await log.close();
    const m = await readMetrics(dir, { maxPoints: 200 });
    expect(m.step.length).toBeLessThanOrEqual(200);
    expect(m.total).toBe(n);
    expect(m.step[0]).toBe(1);
    expect(m.step[m.step.length - 1]).toBe(n);
    expect(Array.from(m.step)).toContain(4321);
    expect(Array.from(m.step)).toContain(7777);
    expect(Math.max(...m.loss)).toBe(51 + Math.sin(43.21));
    for (let i = 1; i < m.step.length; i++) expect(m.step[i]).toBeGreaterThan(m.step[i - 1]);
  });

  it('returns every index of a short series and skips NaNs as extremes', () => {
    expect(Array.from(minMaxIndices([3, 1, 2], 5))).toEqual([0, 1, 2]);
    const v = [0, NaN, NaN, 5, NaN, -1, 0];
    expect(Array.from(minMaxIndices(v, 4))).toEqual([0, 3, 5, 6]);
    expect(() => minMaxIndices(v, 1)).toThrow(/maxPoints/);
  });
});
