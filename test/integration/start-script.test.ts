// `npm start` without an Electron binary says so in one line and serves the studio; `npm run serve` serves it directly.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
const built = existsSync('out/main/serve.js') && existsSync('out/renderer/index.html');
function electronInstalled(): boolean {
  try {
    return existsSync(require('electron') as string);
  } catch {
    return false;
  }
}

let child: ChildProcess | undefined;
let workspace: string | undefined;
afterEach(async () => {
  child?.kill('SIGTERM');
  child = undefined;
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

/** Starts scripts/start.mjs and resolves with its output once it prints the URL. */
async function startAndReadUrl(args: string[]): Promise<{ output: string; url: string }> {
  workspace = await mkdtemp(join(tmpdir(), 'studio-start-'));
  child = spawn(process.execPath, ['scripts/start.mjs', ...args, '--port', '0', '--workspace', workspace], {
    env: { ...process.env, STUDIO_SKIP_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; output so far:\n${output}`)), 15_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ output, url: m[1] });
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function checkServes(url: string): Promise<void> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<div id="app">/);
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`);
  const reply = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'datasets.list', params: {} })));
    ws.on('message', (d) => resolve(d.toString()));
    ws.on('error', reject);
  });
  ws.close();
  expect(JSON.parse(reply)).toMatchObject({ id: 1, ok: true });
}

describe.runIf(built)('start scripts (after npm run build)', () => {
  it.runIf(!electronInstalled())('npm start falls back to the local server with a one-line notice', async () => {
    const { output, url } = await startAndReadUrl([]);
    expect(output.split('\n')[0]).toMatch(/Electron binary is not installed.*local server/);
    await checkServes(url);
  });

  it('npm run serve prints the URL with its token and serves page and API', async () => {
    const { url } = await startAndReadUrl(['--serve']);
    await checkServes(url);
  });

  it('refuses an unknown option with a clear message and a non-zero exit', async () => {
    const run = spawn(process.execPath, ['scripts/start.mjs', '--serve', '--bogus'], { env: { ...process.env, STUDIO_SKIP_BUILD: '1' } });
    let err = '';
    run.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toMatch(/unknown option --bogus/);
  });
});
