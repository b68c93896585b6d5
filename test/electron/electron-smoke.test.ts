// The real desktop app where an Electron binary is installed: its window loads studio://app and one API call goes through window.studio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../src-main/server/static-files';
import { built, missingLine, type Prerequisite } from '../prerequisites';
import { electronBinary, evaluate, evaluateUntil, launchDebugged, waitForPage, type DebuggedProgram, type PageTarget } from './devtools';

const ROOT = resolve(import.meta.dirname, '../..');
const binary = electronBinary();
/** Electron's binary: its npm package downloads it from Electron's own host, which CI and this project's machines cannot reach. */
const ELECTRON_BINARY: Prerequisite = { what: "Electron's binary", install: 'node node_modules/electron/install.js', present: () => binary !== null };
// The one test that may not run for a missing prerequisite, CI included: the binary cannot be fetched there.
if (!binary) console.log(`skipped: ${missingLine(ELECTRON_BINARY)}`);
const BUILD = built('out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html');

/** A program on the PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The command line: the app from the repository, its own profile, and a display (Xvfb) or Ozone's headless platform where none is. */
function commandLine(electron: string, profile: string): { command: string; args: string[] } {
  const args = ['--remote-debugging-port=0', `--user-data-dir=${profile}`];
  // As Playwright does for Electron: the setuid sandbox helper of an npm install is not set up (renderers stay sandboxed by webPreferences).
  if (process.platform === 'linux') args.push('--no-sandbox');
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const xvfbRun = noDisplay ? onPath('xvfb-run') : null;
  if (noDisplay && !xvfbRun) args.push('--ozone-platform=headless', '--disable-gpu');
  args.push(ROOT);
  return xvfbRun ? { command: xvfbRun, args: ['-a', electron, ...args] } : { command: electron, args };
}

describe.skipIf(!binary)('the desktop app (real Electron)', () => {
  let workspace: string;
  let profile: string;
  let app: DebuggedProgram | undefined;
  let page: PageTarget;

  beforeAll(async () => {
    if (!BUILD.present()) throw new Error(missingLine(BUILD));
    workspace = await mkdtemp(join(tmpdir(), 'studio-electron-ws-'));
    profile = await mkdtemp(join(tmpdir(), 'studio-electron-profile-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DIFFUSION_STUDIO_WORKSPACE: workspace };
    // Each of these would turn the app into something else: plain Node, Node with options, or the dev server's page.
    for (const name of ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'ELECTRON_RENDERER_URL']) delete env[name];
    const { command, args } = commandLine(binary!, profile);
    app = await launchDebugged(command, args, env, 60_000);
    try {
      page = await waitForPage(app.port, (url) => url.startsWith('studio://app/'), 60_000);
      await evaluateUntil(page, "typeof window.studio === 'object'", 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nElectron's stderr:\n${app.stderr()}`);
    }
  }, 150_000);

  afterAll(async () => {
    await app?.stop(15_000);
    await rm(workspace, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }, 30_000);

  it('answers app.info through window.studio from the main process', async () => {
    const reply = await evaluate(page, "window.studio.invoke('app.info', {})");
    expect(reply).toMatchObject({ ok: true, result: { name: 'Diffusion Studio', host: 'electron', workspace } });
  });

  it('gives the page no Node and only the bridge', async () => {
    expect(await evaluate(page, '[typeof require, typeof process, typeof module, Object.keys(window.studio).sort()]')).toEqual([
      'undefined',
      'undefined',
      'undefined',
      ['invoke', 'subscribe'],
    ]);
  });

  it('serves the page under the CSP and opens no window', async () => {
    const header = await evaluate(page, "fetch('/index.html').then((r) => r.headers.get('content-security-policy'))");
    expect(header).toBe(CONTENT_SECURITY_POLICY);
    expect(await evaluate(page, "window.open('studio://app/index.html') === null")).toBe(true);
  });

  it('keeps the page on its origin when it tries to navigate to a look-alike', async () => {
    await evaluate(page, "location.href = 'studio://apple/index.html'; true");
    await new Promise((r) => setTimeout(r, 1000));
    expect(await evaluate(page, 'location.href')).toBe('studio://app/index.html');
    expect((await evaluate(page, "window.studio.invoke('app.info', {})")) as { ok: boolean }).toMatchObject({ ok: true });
  });
});
