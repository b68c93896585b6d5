// Shared pieces of the browser tests: the Debian Chromium launch, a served studio over a temp workspace, a page opened on it, page probes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { createStudioHost } from '../../src-main/services/studio-host';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';
import type { LabServiceOptions } from '../../src-main/lab/lab-service';
import type { DatasetsServiceOptions } from '../../src-main/services/datasets-service';
import type { TrainingServiceOptions } from '../../src-main/training/training-service';
import { startServerProcess } from '../reliability/api-server';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The built renderer the server hands out. */
const RENDERER_ROOT = join(ROOT, 'out/renderer');
/** Where the tests leave their screenshots. */
export const SCREENSHOTS = join(ROOT, 'test-artifacts/e2e');
/** The browser the tests drive (Debian's package; nothing is downloaded). */
const CHROMIUM = '/usr/bin/chromium';

/** A running studio a page can open: its address (token included) and the means to stop it. */
export interface StudioServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A studio server over a fresh workspace, plus the means to tear both down (closing twice closes once). */
export interface ServedStudio extends StudioServer {
  readonly server: RunningServer;
  /** The same host called in this process, no socket between, for a test that also drives it directly. */
  readonly api: StudioApi;
  readonly workspace: string;
}

/** Throws a message saying what to do if the renderer is not built or Chromium is missing. */
export function checkPrerequisites(): void {
  if (!existsSync(join(RENDERER_ROOT, 'index.html'))) {
    throw new Error(`${join(RENDERER_ROOT, 'index.html')} is missing: build first with \`npx electron-vite build\` (npm test does).`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium).`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** Services a test studio may set: training settings for the worker, the Lab's process, the import runner. */
interface StudioParts {
  readonly training?: Pick<TrainingServiceOptions, 'settings'>;
  readonly lab?: LabServiceOptions;
  readonly datasets?: DatasetsServiceOptions;
}

/** Starts the headless server on 127.0.0.1 (a free port) over a temp workspace, with the services a test sets. */
export async function serveStudio(parts: StudioParts = {}): Promise<ServedStudio> {
  const workspace = mkdtempSync(join(tmpdir(), 'studio-e2e-'));
  // Tests run from source: the training worker they need is the built one.
  const host = createStudioHost({
    workspace, version: '0.0.0-e2e', host: 'server', training: { ...parts.training, workerPath: join(ROOT, 'out/main/training-worker.js') },
    ...(parts.lab ? { lab: parts.lab } : {}), ...(parts.datasets ? { datasets: parts.datasets } : {}),
  });
  const server = await startServer(host, { host: '127.0.0.1', port: 0, rendererRoot: RENDERER_ROOT });
  let closed: Promise<void> | undefined;
  return {
    server,
    api: createDirectClient(host.dispatch, host.events),
    workspace,
    url: server.url,
    // a test may close the studio itself (a dropped connection) before the teardown does
    close: () =>
      (closed ??= (async () => {
        await server.close();
        await host.close();
        rmSync(workspace, { recursive: true, force: true });
      })()),
  };
}

/** The built server as its own process (out/main/serve.js, which npm start runs) with these arguments: a studio for openStudio. */
export function serverProcess(args: readonly string[]): () => Promise<StudioServer> {
  return async () => {
    const server = await startServerProcess([...args]);
    return { url: `${server.origin}/?token=${server.token}`, close: () => server.stop() };
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

/** How a test wants its studio opened; every field has a default. */
interface OpenStudioOptions<S extends StudioServer = ServedStudio> {
  /** 1440 × 1000 unless given. */
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
  readonly acceptDownloads?: boolean;
  /** Starts the studio the page talks to; serveStudio() unless given (a clone started by npm, say). */
  readonly studio?: () => Promise<S>;
  /** Opens the studio's URL and waits for this element; without it the page stays blank for the test to open. */
  readonly waitFor?: string;
  /** For opening the URL and waiting for the element; 15 s unless given. */
  readonly timeout?: number;
  /** shot(name) writes SCREENSHOTS/<prefix><name>.png, the whole page where fullPage is set. */
  readonly screenshotPrefix?: string;
  readonly fullPage?: boolean;
}

/** A page on a running studio, what the page reported as errors, and the teardown of it all. */
export interface OpenStudio<S extends StudioServer = ServedStudio> {
  /** The running studio, as the studio option (or serveStudio) started it. */
  readonly served: S;
  readonly url: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and console errors of the page, in order; a test's last check is usually that this is empty. */
  readonly pageErrors: string[];
  shot(name: string): Promise<Buffer>;
  /** Closes the page's context, the browser, then the studio. */
  close(): Promise<void>;
}

/** Checks the prerequisites, starts the studio, opens a Chromium page on it that records its errors; closes what it started if a step fails. */
export async function openStudio<S extends StudioServer = ServedStudio>(options: OpenStudioOptions<S> = {}): Promise<OpenStudio<S>> {
  checkPrerequisites();
  const served = await ((options.studio ?? serveStudio) as () => Promise<S>)();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await browser?.close();
    await served.close();
  };
  try {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 1000 }, colorScheme: options.colorScheme ?? 'light', acceptDownloads: options.acceptDownloads });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    if (options.waitFor !== undefined) {
      const wait = { timeout: options.timeout ?? 15_000 };
      await page.goto(served.url, wait);
      await page.locator(options.waitFor).waitFor(wait);
    }
    const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${options.screenshotPrefix ?? ''}${name}.png`), fullPage: options.fullPage });
    return { served, url: served.url, browser, context, page, pageErrors, shot, close };
  } catch (err) {
    await close().catch(() => undefined); // the first failure is the one to report
    throw err;
  }
}

/** The studio's address opened on one section (the token kept, any hash replaced). */
export function sectionUrl(url: string, section: string): string {
  return `${url.replace(/#.*$/, '')}#${section}`;
}

const SAMPLE_SECTION = '[data-testid="section-sample"]';

/**
 * In the Sample section: presses Sample and waits for both panels to come back (the section's version moves on);
 * throws the page's message if sampling failed, and with key checks that this model was the one compared.
 */
export async function sampleBoth(page: Page, key?: string, timeout = 30_000): Promise<void> {
  const version = async () => Number(await page.locator(SAMPLE_SECTION).getAttribute('data-version'));
  const error = page.locator('[data-testid="sample-error"]');
  const before = await version();
  await page.locator('[data-testid="sample-run"]').click();
  await waitUntil('the samples', async () => (await version()) > before || (await error.count()) > 0, timeout);
  if (await error.count()) throw new Error(`sampling failed: ${await error.textContent()}`);
  if (key !== undefined) expect(await page.locator(SAMPLE_SECTION).getAttribute('data-compared')).toBe(key);
}

/** Moves the Sample section's scrubber to its last step (the samples themselves) and waits for the ODE panel to draw it. */
export async function toLastStep(page: Page, timeout = 15_000): Promise<void> {
  const last = await page.locator('#step-slider').getAttribute('max');
  await page.locator('#step-slider').fill(last ?? '0');
  await page.locator(`[data-panel="ode"][data-step="${last}"]`).waitFor({ timeout });
}

/** Waits until both Sample panels show step n. */
export async function panelsAt(page: Page, n: number, timeout = 15_000): Promise<void> {
  await page.locator(`[data-panel="ode"][data-step="${n}"]`).waitFor({ timeout });
  await page.locator(`[data-panel="sde"][data-step="${n}"]`).waitFor({ timeout });
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
