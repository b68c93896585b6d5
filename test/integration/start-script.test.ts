// The README's start commands as a user runs them on a fresh clone: `npm start` and `npm run serve` build, then serve page and API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freshClone, killGroup, startInClone, type StartedStudio } from './fresh-clone';

const require = createRequire(import.meta.url);

function electronInstalled(): boolean {
  try {
    return existsSync(require('electron') as string);
  } catch {
    return false;
  }
}

let clone: Awaited<ReturnType<typeof freshClone>>;
const started: StartedStudio[] = [];
const temps: string[] = [];

beforeAll(async () => {
  clone = await freshClone();
}, 60_000);

afterAll(async () => {
  for (const s of started) killGroup(s);
  await clone?.remove();
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function start(args: string[], workspace: string, cwd = clone.dir): Promise<StartedStudio> {
  const s = await startInClone(cwd, args, workspace);
  started.push(s);
  return s;
}

/** One call over the API of a started studio, with the token from its URL; the reply as sent. */
async function callServer(url: string, method: string, params: unknown): Promise<unknown> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`);
  try {
    const reply = await new Promise<string>((res, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
      ws.on('message', (d) => res(d.toString()));
      ws.on('error', reject);
    });
    return JSON.parse(reply);
  } finally {
    ws.close();
  }
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
  expect(await callServer(url, 'datasets.list', {})).toMatchObject({ id: 1, ok: true });
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
    expect(existsSync(join(clone.dir, 'out'))).toBe(false);
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ws-'));
    temps.push(workspace);
    // another program on the default port: the studio takes the next free one instead of failing
    const release = await occupy(5174).catch(() => async () => undefined);
    try {
      const s = await start(['start'], workspace);
      expect(existsSync(join(clone.dir, 'out/renderer/index.html'))).toBe(true);
      expect(s.output()).toMatch(/^The Electron binary is not installed here; starting the studio as a local server instead\.$/m);
      expect(s.output()).toContain(`workspace: ${workspace}`);
      expect(s.url).not.toMatch(/:5174\//);
      await checkServes(s.url);
      await s.stop();
    } finally {
      await release();
    }
  }, 180_000);

  it('npm run serve -- --port 0 --workspace <folder> prints the URL with its token and serves page and API', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'studio-ws-'));
    temps.push(workspace);
    const s = await start(['run', 'serve', '--', '--port', '0', '--workspace', workspace], workspace);
    await checkServes(s.url);
    await s.stop();
  }, 180_000);

  it('npm run serve from another folder finds the files and the workspace named relative to where it was typed', async () => {
    const here = await mkdtemp(join(tmpdir(), 'studio-typed-in-'));
    temps.push(here);
    await writeFile(join(here, 'points.csv'), 'x,y\n0,1\n');
    // npm --prefix runs the clone's script from here, as `npm run serve` typed in a subfolder of the clone would
    const s = await start(['--prefix', clone.dir, 'run', 'serve', '--', '--port', '0', '--workspace', 'my workspace', 'points.csv'], join(here, 'ignored'), here);
    expect(s.output()).toContain(`workspace: ${join(here, 'my workspace')}`);
    const taken = await callServer(s.url, 'files.takeOpened', {});
    expect(taken).toMatchObject({ ok: true, result: { files: [{ path: join(here, 'points.csv'), name: 'points.csv', opensAs: 'data' }], notes: [] } });
    await s.stop();
  }, 180_000);

  it('refuses an unknown option with a clear message and a non-zero exit', async () => {
    const run = spawn(process.execPath, ['scripts/start.mjs', '--serve', '--bogus'], { cwd: clone.dir, env: { ...process.env, STUDIO_SKIP_BUILD: '1' } });
    let err = '';
    run.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((res) => run.on('exit', res));
    expect(code).not.toBe(0);
    expect(err).toMatch(/unknown option --bogus/);
  }, 60_000);
});
