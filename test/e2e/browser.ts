// Shared pieces of the browser tests: the Debian Chromium launch, a served studio over a temp workspace, page probes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createStudioHost } from '../../src-main/services/studio-host';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The built renderer the server hands out. */
export const RENDERER_ROOT = join(ROOT, 'out/renderer');
/** Where the tests leave their screenshots. */
export const SCREENSHOTS = join(ROOT, 'test-artifacts/e2e');
/** The browser the tests drive (Debian's package; nothing is downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

/** A studio server over a fresh workspace, plus the means to tear both down. */
export interface ServedStudio {
  readonly server: RunningServer;
  readonly workspace: string;
  close(): Promise<void>;
}

/** Throws a message saying what to do if the renderer is not built or Chromium is missing. */
export function checkPrerequisites(): void {
  if (!existsSync(join(RENDERER_ROOT, 'index.html'))) {
    throw new Error(`${join(RENDERER_ROOT, 'index.html')} is missing: build first with \`npx electron-vite build\` (npm test does).`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium).`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** Starts the headless server on 127.0.0.1 (a free port) over a temp workspace. */
export async function serveStudio(): Promise<ServedStudio> {
  const workspace = mkdtempSync(join(tmpdir(), 'studio-e2e-'));
  // Tests run from source: the training worker they need is the built one.
  const host = createStudioHost({ workspace, version: '0.0.0-e2e', host: 'server', training: { workerPath: join(ROOT, 'out/main/training-worker.js') } });
  const server = await startServer(host, { host: '127.0.0.1', port: 0, rendererRoot: RENDERER_ROOT });
  return {
    server,
    workspace,
    async close() {
      await server.close();
      await host.close();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with no network side traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Page script (a string: this file is type-checked without the DOM library) counting the coloured pixels
 * of the chart's canvases (ECharts may draw a large series on a layer of its own): those clearly not grey,
 * as axes, grid lines and labels are grey and the points are not.
 */
export const COUNT_POINT_PIXELS = `(() => {
  let n = 0;
  for (const canvas of document.querySelectorAll('[data-point-count] canvas')) {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 40) continue;
      const hi = Math.max(data[i], data[i + 1], data[i + 2]);
      const lo = Math.min(data[i], data[i + 1], data[i + 2]);
      if (hi - lo > 60) n++;
    }
  }
  return n;
})()`;

/** Page script: is the element's attribute now (or, with equal false, no longer) the given value? */
export function attributeIs(selector: string, name: string, value: string | null, equal = true): string {
  const read = `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)})`;
  return `${read} ${equal ? '===' : '!=='} ${JSON.stringify(value)}`;
}

/** Page script returning the body's computed background colour. */
export const BODY_BACKGROUND = 'getComputedStyle(document.body).backgroundColor';

/** Parses a "min,max" attribute into its span. */
export function spanOf(range: string | null): number {
  const [lo, hi] = (range ?? '').split(',').map(Number);
  return hi - lo;
}

/** Waits until a condition read from node holds, checked every 50 ms; throws naming it after the timeout. */
export async function waitUntil(what: string, ok: () => Promise<boolean>, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until a page script is truthy. The page's CSP forbids eval, and page.waitForFunction evaluates a string
 * predicate by eval inside the page (it failed that way now and then), so the script goes through page.evaluate,
 * which the CSP does not govern.
 */
export function until(page: Page, expression: string, timeout = 15_000): Promise<void> {
  return waitUntil(expression, async () => Boolean(await page.evaluate(expression)), timeout);
}
