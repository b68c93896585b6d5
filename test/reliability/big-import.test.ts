// A large CSV imported by path through the built server: parsed in the import process with bounded memory, progress that only moves forward,
// a cancel that leaves nothing behind, and a server that answers other calls promptly throughout.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ImportProgress } from '../../src-core/api/methods/datasets';
import { connectWebSocket, type SocketLike, type WsStudioApi } from '../../src-core/api/ws-client';
import { StudioError } from '../../src-core/errors';
import { BIG_COLUMNS, cellText, importWorkers, watchImportWorkers, writeBigCsv } from './big-import';
import { figure, quantile, startServerProcess, type ServerProcess } from './api-server';
import { SOAK, trials } from './soak';

/** Rows of the CSV: about 100 MB in npm test, about 1 GB under npm run soak. */
const ROWS = trials(1_000_000, 10_000_000);
const PHASES = ['reading', 'describing', 'saving'] as const;
/** The import process's memory limit for small sets: Node itself plus the readers' buffers and lazily collected garbage. */
const MEMORY_FLOOR_MIB = 256;
const mib = (bytes: number) => bytes / (1 << 20);

/** Calls app.info every few milliseconds until stopped; each reply's time in ms. */
function pollInfo(api: WsStudioApi, everyMs = 25): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      await api.call('app.info', {});
      times.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times;
    },
  };
}

/** Checks that progress events only move forward: phases in order, done and rows never back within a phase. */
function expectMonotone(events: readonly ImportProgress[]): void {
  for (let k = 1; k < events.length; k++) {
    const [a, b] = [events[k - 1], events[k]];
    const pa = PHASES.indexOf(a.phase);
    const pb = PHASES.indexOf(b.phase);
    expect(pb, `event ${k}: ${a.phase} then ${b.phase}`).toBeGreaterThanOrEqual(pa);
    if (pa === pb) {
      expect(b.done, `event ${k} (${b.phase})`).toBeGreaterThanOrEqual(a.done);
      expect(b.rows, `event ${k} (${b.phase})`).toBeGreaterThanOrEqual(a.rows);
      expect(b.total).toBe(a.total);
    }
    expect(b.done).toBeLessThanOrEqual(b.total);
  }
}

describe(`a CSV of ${ROWS.toLocaleString('en')} rows imported by path`, () => {
  let server: ServerProcess;
  let api: WsStudioApi;
  let dir: string;
  let csv: string;
  let size = 0;
  let workspace = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-big-import-'));
    csv = join(dir, 'big.csv');
    const start = performance.now();
    size = writeBigCsv(csv, ROWS);
    figure('big CSV written', `${mib(size).toFixed(0)} MiB, ${ROWS} rows in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    server = await startServerProcess();
    api = await connectWebSocket(server.apiUrl, (url) => new WebSocket(url) as unknown as SocketLike);
    workspace = (await api.call('app.info', {})).workspace;
  }, 300_000);

  afterAll(async () => {
    api?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the workspace holds besides saved sets' own folders: the staging folder of uploads and imports under way. */
  const leftovers = () => (existsSync(join(workspace, '.imports')) ? readdirSync(join(workspace, '.imports')) : []);
  const savedFolders = () => (existsSync(join(workspace, 'datasets')) ? readdirSync(join(workspace, 'datasets')) : []);

  it('a cancel midway ends the import process and leaves no saved set and nothing staged', { timeout: trials(60_000, 600_000) }, async () => {
    const events: ImportProgress[] = [];
    let cancelAt = 0;
    const off = api.on('datasets.importProgress', (p) => {
      if (p.importId !== 'big-cancel') return;
      events.push(p);
      // a third of the way through the file: well inside the reading phase
      if (cancelAt === 0 && p.phase === 'reading' && p.done >= p.total / 3) {
        cancelAt = p.done;
        void api.call('datasets.importCancel', { importId: 'big-cancel' });
      }
    });
    const err = await api.call('datasets.import', { name: 'cancelled', path: csv, importId: 'big-cancel' }).then(
      () => null,
      (e: unknown) => e,
    );
    off();
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('cancelled');
    expect(cancelAt).toBeGreaterThan(0);
    expectMonotone(events);
    expect(importWorkers(server.pid)).toEqual([]);
    expect(savedFolders()).toEqual([]);
    expect(leftovers()).toEqual([]);
    expect(await api.call('datasets.saved', {})).toEqual([]);
    figure('big import cancelled', `at ${((100 * cancelAt) / size).toFixed(0)} % of the file; nothing saved, nothing staged`);
  });

  it('imports in its own process with bounded memory, progress forward only, the server answering throughout', { timeout: trials(120_000, 1_800_000) }, async () => {
    const events: ImportProgress[] = [];
    const off = api.on('datasets.importProgress', (p) => {
      if (p.importId === 'big') events.push(p);
    });
    const watch = watchImportWorkers(server.pid);
    const info = pollInfo(api);
    const serverBefore = server.peakRssMb();
    const start = performance.now();
    const { saved } = await api.call('datasets.import', { name: 'big', path: csv, importId: 'big' });
    const seconds = (performance.now() - start) / 1000;
    const latencies = await info.stop();
    const worker = watch.stop();
    off();

    expect(saved?.shape).toEqual([ROWS, BIG_COLUMNS]);
    expect(saved?.source).toEqual({ id: 'csv', file: 'big.csv' });
    // the values: rows spread over the set come back as the file's numbers in float32
    const back = await api.call('datasets.load', { id: saved?.id ?? '', maxPoints: 1000 });
    expect(back.total).toBe(ROWS);
    const m = back.shape[0];
    for (let k = 0; k < m; k++) {
      const i = Math.floor((k * ROWS) / m);
      for (let j = 0; j < BIG_COLUMNS; j++) expect(back.data[k * BIG_COLUMNS + j]).toBe(Math.fround(Number(cellText(i, j))));
    }

    // progress: every phase seen, forward only, reading ends at the file's size with every row
    expectMonotone(events);
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(PHASES));
    const lastRead = events.filter((e) => e.phase === 'reading').at(-1);
    expect(lastRead).toMatchObject({ done: size, total: size, unit: 'bytes', rows: ROWS });

    // the import ran in a process of its own, now ended, and nothing is left staged
    expect(worker.pids.length).toBe(1);
    expect(importWorkers(server.pid)).toEqual([]);
    expect(leftovers()).toEqual([]);

    // memory: bounded by the saved float32 values, not by the text
    const float32Mib = mib(ROWS * BIG_COLUMNS * 4);
    figure('big import', `${ROWS} rows, ${mib(size).toFixed(0)} MiB of CSV in ${seconds.toFixed(1)} s: ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s, ${(mib(size) / seconds).toFixed(1)} MiB/s`);
    figure('big import memory', `import process peak ${worker.peakMib.toFixed(0)} MiB (float32 set ${float32Mib.toFixed(0)} MiB, text ${mib(size).toFixed(0)} MiB); server peak ${serverBefore.toFixed(0)} -> ${server.peakRssMb().toFixed(0)} MiB`);
    expect(worker.peakMib).toBeGreaterThan(0);
    // (a Node process starts near 70 MiB and its heap grows lazily to about 160 MiB here, whatever the file's size)
    expect(worker.peakMib).toBeLessThan(Math.max(MEMORY_FLOOR_MIB, 4 * float32Mib));
    if (SOAK) expect(worker.peakMib).toBeLessThan(mib(size) / 2);
    // the server never holds the set: loading a thousand rows of it reads those rows (it once read all 229 MiB of 10M rows)
    expect(server.peakRssMb() - serverBefore).toBeLessThan(MEMORY_FLOOR_MIB);

    // the server stays responsive: app.info answered promptly all along
    const p95 = quantile(latencies, 0.95);
    const max = Math.max(...latencies);
    figure('app.info during the import', `${latencies.length} calls, p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThan(10);
    // (a 2-core machine shared with other work may hold the server back now and then; a main process parsing the file would stall for seconds)
    expect(p95).toBeLessThan(100);
    expect(max).toBeLessThan(1000);
  });
});
