// The README's start commands as a user runs them on a fresh clone: `npm start` and `npm run serve` build, then serve page and API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import WebSocket from 'ws';
import { signalProcess } from '../../src-main/process';

const require = createRequire(import.meta.url);
const repo = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function electronInstalled(): boolean {
  try {
    return existsSync(require('electron') as string);
  } catch {
    return false;
  }
}

/** The environment a user's shell has: no switch that skips the build. */
function userEnv(): NodeJS.ProcessEnv {
  const { STUDIO_SKIP_BUILD: _skip, ...env } = process.env;
  return env;
}

let clone = '';
const started: ChildProcess[] = [];
const temps: string[] = [];

// A copy of the files git holds (tracked, and new ones not ignored) with the installed node_modules beside them: what a fresh clone holds after `npm install`.
beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), 'studio-clone-'));
  temps.push(clone);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue; // deleted in the working tree, not yet committed
    await mkdir(dirname(join(clone, file)), { recursive: true });
    await cp(join(repo, file), join(clone, file));
  }
  await symlink(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) signalProcess(child.pid, 'SIGKILL', { group: true });
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs an npm command in the clone (its own process group, to stop it as Ctrl-C does) and waits for the printed URL. */
async function startAndReadUrl(args: string[], workspace: string): Promise<Started> {
  const child = spawn(npm, args, {
    cwd: clone,
    env: { ...userEnv(), DIFFUSION_STUDIO_WORKSPACE: workspace },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 120 s; output so far:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      // the URL line, then the workspace line
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n(.|\n)*workspace: .*\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before printing a URL:\n${output}`)));
  });
  return { child, output: () => output, url, exit };
}

/** The page loads and its API answers datasets.list with the token from the URL. */
async function checkServes(url: string): Promise<void> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toMatch(/<div id="app">/);
  // the page's own script is served too (a build, not a stale placeholder)
  const script = /src="(\.?\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  expect((await fetch(new URL(script!, url))).status).toBe(200);
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`);
  const reply = await new Promise<string>((res, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'datasets.list', params: {} })));
    ws.on('message', (d) => res(d.toString()));
    ws.on('error', reject);
  });
  ws.close();
  expect(JSON.parse(reply)).toMatchObject({ id: 1, ok: true });
}

/** Stops the command as Ctrl-C in its terminal would: npm ends by its signal, the studio closes and frees its port. */
async function stop(s: Started): Promise<void> {
  signalProcess(s.child.pid, 'SIGINT', { group: true });
  const { code, signal } = await s.exit;
  expect(code === 0 || signal === 'SIGINT', `exit ${code ?? signal}`).toBe(true);
  await expect(fetch(s.url)).rejects.toThrow();
}

/** Holds a port the way another program would. */
async function occupy(port: number): Promise<() => Promise<void>> {
  const server = createServer();
  await new Promise<void>((res, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => res());
  });
  return () => new Promise((res) => server.close(() => res()));
}

describe('start scripts on a fresh clone (build included)', () => {
  it.runIf(!electronInstalled())('npm start builds, says in one line that Electron is absent, and serves page and API', async () => {
    expect(existsSync(join(clone, 'out'))).toBe(false);
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ws-'));
    temps.push(workspace);
    // another program on the default port: the studio takes the next free one instead of failing
    const release = await occupy(5174).catch(() => async () => undefined);
    try {
      const s = await startAndReadUrl(['start'], workspace);
      expect(existsSync(join(clone, 'out/renderer/index.html'))).toBe(true);
      expect(s.output()).toMatch(/^The Electron binary is not installed here; starting the studio as a local server instead\.$/m);
      expect(s.output()).toContain(`workspace: ${workspace}`);
      expect(s.url).not.toMatch(/:5174\//);
      await checkServes(s.url);
      await stop(s);
    } finally {
      await release();
    }
  }, 180_000);

  it('npm run serve -- --port 0 --workspace <folder> prints the URL with its token and serves page and API', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ws-'));
    temps.push(workspace);
    const s = await startAndReadUrl(['run', 'serve', '--', '--port', '0', '--workspace', workspace], workspace);
    await checkServes(s.url);
    await stop(s);
  }, 180_000);

  it('refuses an unknown option with a clear message and a non-zero exit', async () => {
    const run = spawn(process.execPath, ['scripts/start.mjs', '--serve', '--bogus'], { cwd: clone, env: { ...process.env, STUDIO_SKIP_BUILD: '1' } });
    let err = '';
    run.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((res) => run.on('exit', res));
    expect(code).not.toBe(0);
    expect(err).toMatch(/unknown option --bogus/);
  }, 60_000);
});
