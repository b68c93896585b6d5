// Training steps/s of one config started three ways: the command line, the server's API as the page uses it, and a real page in Chromium (the built app in out/).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { EventName } from '../../src-core/api/contract';
import { apiUrl, connectWebSocket, type SocketLike } from '../../src-core/api/ws-client';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { suggestedConfig } from '../../src-core/training/defaults';
import { signalProcess } from '../../src-main/process';
import { readMetrics, readRunRecord } from '../../src-main/runs';
import { median } from './common';

const CHROMIUM = '/usr/bin/chromium';
/** The events the Train section follows. */
const PAGE_EVENTS: readonly EventName[] = ['training.progress', 'training.status', 'training.preview'];

/** Where the built app is and how long a run trains. */
interface UiPaceSettings {
  /** The build's out/ folder. */
  readonly build: string;
  readonly steps: number;
  readonly rounds: number;
  readonly browser: boolean;
  /** Called with each round's line as it is measured. */
  readonly log: (line: string) => void;
}

/** The Train form's proposal for 2-D points on the Data section's default set (two moons, 10,000 points, seed 0). */
const configOf = (steps: number): TrainingConfigInput => ({
  data: { source: 'builtin', id: 'two-moons', params: { count: 10_000, seed: 0 } },
  ...suggestedConfig({ shape: [2], rows: 10_000, classes: null }),
  steps,
});

/** The build to run and the config it trains. */
interface RunSpec {
  readonly build: string;
  readonly config: TrainingConfigInput;
}

/** What one training run measured. */
interface Measured {
  /** Steps per second from the run's own metrics log: steps between its first and last record over the time between them. */
  readonly rate: number;
  /** The backend the run trained on and its device (from its run.json). */
  readonly backend: string;
  /** Seconds from the start request to the finished run (process start, setup and the last checkpoint included). */
  readonly wall: number;
  /** CPU seconds of the server process itself while the run trained (null for the command line). */
  readonly serverCpu: number | null;
  /** CPU seconds of the training worker, read from the server's reaped-children times (null for the command line). */
  readonly workerCpu: number | null;
  /** CPU seconds of the browser's processes while the run trained (page path only). */
  readonly pageCpu?: number;
  /** Preview events the client received (null where the page receives them). */
  readonly previews: number | null;
}

/** Steps/s over a run folder's metrics.jsonl, and the backend and device its run.json names. */
async function runOf(runDir: string): Promise<{ rate: number; backend: string }> {
  const m = await readMetrics(runDir);
  const n = m.step.length;
  if (n < 2) throw new Error(`${runDir} logged ${n} steps`);
  const { backend } = await readRunRecord(runDir);
  return { rate: ((m.step[n - 1] - m.step[0]) * 1000) / (m.time[n - 1] - m.time[0]), backend: backend ? `${backend.name} (${'note' in backend ? backend.note : backend.device})` : 'unknown' };
}

/** [own, reaped children] CPU seconds of a live process, from /proc/<pid>/stat. */
function cpuOf(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // fields after comm: state(0) ... utime(11) stime(12) cutime(13) cstime(14), in clock ticks (100 per second on Linux)
  return [(f[11] + f[12]) / 100, (f[13] + f[14]) / 100];
}

/** CPU seconds of the live processes under pid whose name starts with `name` (the browser's processes). */
function cpuOfDescendants(pid: number, name: string): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      return [{ pid: Number(d), ppid: f[1], comm, cpu: (f[11] + f[12]) / 100 }];
    } catch {
      return []; // ended while the list was read
    }
  });
  const under = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!under.has(p.pid) && under.has(p.ppid)) grew = !!under.add(p.pid);
  }
  return procs.filter((p) => p.pid !== pid && under.has(p.pid) && p.comm.startsWith(name)).reduce((a, p) => a + p.cpu, 0);
}

/** Waits for a child to end; rejects on a non-zero exit with its output. */
function ended(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((res, rej) => child.once('exit', (code, signal) => (code === 0 ? res() : rej(new Error(`exit ${code ?? signal}:\n${output()}`)))));
}

/** (a) `node out/main/cli.js train --config ... --out ...`. */
async function viaCli(tmp: string, run: RunSpec): Promise<Measured> {
  const configPath = join(tmp, 'config.json');
  await writeFile(configPath, JSON.stringify(run.config));
  const out = join(tmp, 'run');
  const started = performance.now();
  const child = spawn(process.execPath, [join(run.build, 'main/cli.js'), 'train', '--config', configPath, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await ended(child, () => output);
  return { ...(await runOf(out)), wall: (performance.now() - started) / 1000, serverCpu: null, workerCpu: null, previews: null };
}

/** A running `node out/main/serve.js --port 0 --workspace <tmp>` and its URL. */
interface Served {
  readonly child: ChildProcess;
  readonly url: URL;
  readonly workspace: string;
  stop(): Promise<void>;
}

async function serve(workspace: string, build: string): Promise<Served> {
  const child = spawn(process.execPath, [join(build, 'main/serve.js'), '--port', '0', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<URL>((res, rej) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(output);
      if (m) res(new URL(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(() => rej(new Error(`the server ended before printing its URL:\n${output}`)));
  });
  return {
    child, url, workspace,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) signalProcess(child.pid, 'SIGINT');
      await exit;
    },
  };
}

/** The one run folder of a fresh workspace. */
async function onlyRun(workspace: string): Promise<string> {
  const ids = await readdir(join(workspace, 'runs'));
  if (ids.length !== 1) throw new Error(`expected one run in ${workspace}, found ${ids.length}`);
  return join(workspace, 'runs', ids[0]);
}

/** (b) The server's API over a WebSocket, as the page's client uses it: training.start, then its events until the run completes. */
async function viaServer(tmp: string, run: RunSpec): Promise<Measured> {
  const served = await serve(join(tmp, 'workspace'), run.build);
  const pid = served.child.pid!;
  try {
    const api = await connectWebSocket(apiUrl(served.url.origin, served.url.searchParams.get('token') ?? ''), (u) => new WebSocket(u) as unknown as SocketLike);
    let previews = 0;
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    for (const e of PAGE_EVENTS) api.on(e, () => undefined);
    api.on('training.preview', () => previews++);
    api.on('training.status', (p) => {
      if (p.run.status === 'completed' || p.run.status === 'failed') finished();
    });
    const [cpu0, kids0] = cpuOf(pid);
    const started = performance.now();
    await api.call('training.start', { config: run.config });
    await done;
    const wall = (performance.now() - started) / 1000;
    await waitForWorkerExit(pid, kids0);
    const [cpu1, kids1] = cpuOf(pid);
    api.close();
    return { ...(await runOf(await onlyRun(served.workspace))), wall, serverCpu: cpu1 - cpu0, workerCpu: kids1 - kids0, previews };
  } finally {
    await served.stop();
  }
}

/** Waits until the server has reaped its training worker (its children's CPU time moved), at most 5 s. */
async function waitForWorkerExit(pid: number, kidsBefore: number): Promise<void> {
  const end = Date.now() + 5000;
  while (cpuOf(pid)[1] === kidsBefore && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 100));
}

/** (c) A real page in Chromium on the Train section: the server's API as in (b), the page receiving and drawing every event. */
async function viaPage(tmp: string, run: RunSpec): Promise<Measured> {
  const { chromium } = await import('playwright-core');
  const served = await serve(join(tmp, 'workspace'), run.build);
  const pid = served.child.pid!;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1500, height: 1000 } })).newPage();
    await page.goto(served.url.toString());
    await page.locator('[data-point-count="10000"][data-dataset="two-moons"]').waitFor({ timeout: 60_000 });
    await page.locator('nav [data-section="train"]').click();
    // A person reads the form before pressing Start: the backend probe the section asks for on opening has answered.
    await page.locator('[data-testid="backend-panel"]:not([data-auto=""])').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1000);
    // The bench starts the run, so its config is exactly the bench's; the page opens it from the run list as soon as it is
    // listed (as after its own Start), so the section's handlers receive and draw every event of it.
    const api = await connectWebSocket(apiUrl(served.url.origin, served.url.searchParams.get('token') ?? ''), (u) => new WebSocket(u) as unknown as SocketLike);
    const [cpu0, kids0] = cpuOf(pid);
    const page0 = cpuOfDescendants(process.pid, 'chrom');
    const started = performance.now();
    const { runId } = await api.call('training.start', { config: run.config });
    api.close();
    const item = page.locator(`[data-testid="run-list"] [data-run-id="${runId}"]`);
    await item.click({ timeout: 30_000 });
    await page.locator(`[data-testid="run-list"] [data-run-id="${runId}"][data-run-status="completed"]`).waitFor({ timeout: 600_000 });
    const wall = (performance.now() - started) / 1000;
    const pageCpu = cpuOfDescendants(process.pid, 'chrom') - page0;
    await waitForWorkerExit(pid, kids0);
    const [cpu1, kids1] = cpuOf(pid);
    return { ...(await runOf(await onlyRun(served.workspace))), wall, serverCpu: cpu1 - cpu0, workerCpu: kids1 - kids0, pageCpu, previews: null };
  } finally {
    await browser.close();
    await served.stop();
  }
}

/** The three ways, in the order each round runs them. */
const PATHS = { cli: ['command line', viaCli], server: ["server's API", viaServer], page: ['page in Chromium', viaPage] } as const;

/** Medians per way: steps/s and the share of the command line's. */
interface UiPace {
  readonly backend: string;
  readonly rows: readonly { readonly label: string; readonly rates: readonly number[]; readonly share: number }[];
  readonly loads: readonly number[];
}

/** Runs the config `rounds` times each way, interleaved (cli, server, page, cli, ...), and returns each way's rates. */
export async function measureUiPace(s: UiPaceSettings): Promise<UiPace> {
  const run: RunSpec = { build: s.build, config: configOf(s.steps) };
  parseTrainingConfig(run.config); // a bad config fails here, not three times below
  const ways = (Object.keys(PATHS) as (keyof typeof PATHS)[]).filter((k) => k !== 'page' || s.browser);
  const results = new Map<string, Measured[]>(ways.map((k) => [k, []]));
  const loads: number[] = [];
  let backend = 'unknown';
  for (let r = 0; r < s.rounds; r++) {
    loads.push(Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
    for (const way of ways) {
      const [name, measure] = PATHS[way];
      const tmp = await mkdtemp(join(tmpdir(), 'ui-pace-'));
      try {
        // every process the way started has ended and been reaped by now: their CPU time is this process's children's
        const before = cpuOf(process.pid)[1];
        const m = await measure(tmp, run);
        const totalCpu = cpuOf(process.pid)[1] - before;
        if (way === 'cli') backend = m.backend;
        results.get(way)!.push(m);
        const page = m.pageCpu === undefined ? '' : `, browser ${m.pageCpu.toFixed(2)} s`;
        const split = m.serverCpu === null ? '' : ` (server ${m.serverCpu.toFixed(2)} s, worker ${m.workerCpu?.toFixed(2)} s${page})`;
        const previews = m.previews === null ? '' : `, ${m.previews} previews`;
        s.log(`round ${r + 1} ${name.padEnd(16)} ${m.rate.toFixed(0).padStart(5)} steps/s  wall ${m.wall.toFixed(2)} s  cpu ${totalCpu.toFixed(2)} s${split}${previews}`);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  }
  const cli = median(results.get('cli')!.map((m) => m.rate));
  return {
    backend,
    loads,
    rows: ways.map((way) => {
      const rates = results.get(way)!.map((m) => m.rate);
      return { label: PATHS[way][0], rates, share: median(rates) / cli };
    }),
  };
}
