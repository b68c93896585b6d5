// The debugging-port driver the Electron smoke test uses, proven here against Debian's Chromium (which CI has).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, evaluateUntil, launchDebugged, pages, waitForPage, type DebuggedProgram } from './devtools';

const CHROMIUM = '/usr/bin/chromium';
const PAGE = 'data:text/html,<title>probe</title><script>window.answer = () => new Promise((r) => setTimeout(() => r({ n: 42 }), 50));</script>';

describe('debugging-port driver', () => {
  let profile: string;
  let program: DebuggedProgram;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium).`);
    profile = await mkdtemp(join(tmpdir(), 'studio-devtools-'));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--remote-debugging-port=0', `--user-data-dir=${profile}`, PAGE];
    program = await launchDebugged(CHROMIUM, args, process.env);
  }, 60_000);

  afterAll(async () => {
    await program?.stop();
    // The browser's helper processes may still be writing their last files just after it ends: retry.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('finds the page, awaits a promise in it and reads the value back', async () => {
    const page = await waitForPage(program.port, (url) => url.startsWith('data:text/html'));
    await evaluateUntil(page, "typeof window.answer === 'function'");
    expect(await evaluate(page, 'window.answer()')).toEqual({ n: 42 });
  });

  it('reports an exception thrown in the page', async () => {
    const page = await waitForPage(program.port, (url) => url.startsWith('data:text/html'));
    await expect(evaluate(page, "(() => { throw new Error('boom'); })()")).rejects.toThrow(/boom/);
  });

  it('names the pages it saw when the wanted one never comes', async () => {
    await expect(waitForPage(program.port, (url) => url.startsWith('studio://'), 300)).rejects.toThrow(/data:text\/html/);
    expect((await pages(program.port)).length).toBeGreaterThan(0);
  });

  it('stops the program and its whole process group', async () => {
    const other = await launchDebugged(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${join(profile, 'second')}`, 'about:blank'], process.env);
    await other.stop();
    await expect(fetch(`http://127.0.0.1:${other.port}/json/version`)).rejects.toThrow();
  });
});
