// End-to-end: the Schedule section (drag a log-SNR point, plots follow, undo/redo) and the Train section (train, pause, resume, frame times).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';
import { checkPrerequisites, launchChromium, RENDERER_ROOT, ROOT, SCREENSHOTS, until } from './browser';

const WAIT = { timeout: 20_000 };
const SECTION = '[data-testid="section-schedule"]';
const EDITOR = '[data-testid="logsnr-editor"]';
const CONTROLS = '[data-testid="run-controls"]';
const LOSS = '[data-testid="loss-chart"]';
/** The editor's grid margins in pixels (LogSnrEditor.vue GRID). */
const GRID = { left: 50, right: 16, top: 30, bottom: 34 };

/** Page script: requestAnimationFrame deltas over ms milliseconds (median, 95th percentile, max) and the page's long tasks. */
const FRAME_TIMES = (ms: number) => `new Promise((done) => {
  const deltas = [];
  const long = [];
  const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  let last = performance.now();
  const end = last + ${ms};
  const tick = (now) => {
    deltas.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(tick);
    else {
      observer.disconnect();
      deltas.sort((a, b) => a - b);
      const q = (p) => deltas[Math.min(deltas.length - 1, Math.floor(p * deltas.length))];
      done({ frames: deltas.length, median: q(0.5), p95: q(0.95), max: deltas[deltas.length - 1], longTasks: long.length, longest: Math.max(0, ...long) });
    }
  };
  requestAnimationFrame(tick);
})`;

/** Page script: is the attribute of the element now (or, with equal false, no longer) the value? */
const attrIs = (selector: string, name: string, value: string | null, equal = true) =>
  `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)}) ${equal ? '===' : '!=='} ${JSON.stringify(value)}`;
const countAtLeast = (selector: string, name: string, n: number) => `Number(document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)})) >= ${n}`;

/** What FRAME_TIMES returns. */
interface FrameStats {
  frames: number;
  median: number;
  p95: number;
  max: number;
  longTasks: number;
  longest: number;
}

describe('Schedule and Train sections in Chromium', () => {
  let host: StudioHost;
  let server: RunningServer;
  let workspace: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  const points = async () => ((await attr(EDITOR, 'data-points')) ?? '').split(',').map((p) => p.split(':').map(Number));

  /** Drags control point i of the editor by dy log-SNR units (screen position from the published y range). */
  async function dragPoint(i: number, dy: number): Promise<void> {
    const box = await page.locator(EDITOR).boundingBox();
    if (!box) throw new Error('the editor has no box');
    const [lo, hi] = ((await attr(EDITOR, 'data-y-range')) ?? '').split(',').map(Number);
    const [t, l] = (await points())[i];
    const px = (tt: number) => box.x + GRID.left + tt * (box.width - GRID.left - GRID.right);
    const py = (ll: number) => box.y + GRID.top + ((hi - ll) / (hi - lo)) * (box.height - GRID.top - GRID.bottom);
    await page.mouse.move(px(t), py(l));
    await page.mouse.down();
    for (let k = 1; k <= 6; k++) await page.mouse.move(px(t), py(l + (dy * k) / 6));
    await page.mouse.up();
  }

  beforeAll(async () => {
    checkPrerequisites();
    workspace = mkdtempSync(join(tmpdir(), 'studio-e2e-train-'));
    // The built training worker (tests import src-main from source, where no worker bundle sits beside it); previews every second.
    host = createStudioHost({ workspace, version: '0.0.0-e2e', host: 'server', training: { workerPath: join(ROOT, 'out/main/training-worker.js'), settings: { previewIntervalMs: 1000 } } });
    server = await startServer(host, { host: '127.0.0.1', port: 0, rendererRoot: RENDERER_ROOT });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    await page.goto(server.url, WAIT);
    await page.locator('[data-point-count="10000"][data-dataset="two-moons"]').waitFor(WAIT);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await host?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }, 30_000);

  it('draws a custom log-SNR curve: a dragged point moves, stays monotone, and the plots follow', async () => {
    await page.locator('nav [data-section="schedule"]').click();
    await page.locator(SECTION).waitFor(WAIT);
    expect(await attr(SECTION, 'data-alpha-half')).toBe('0.500000');
    await page.locator('[data-preset="custom"]').click();
    await until(page, attrIs(EDITOR, 'data-point-count', '6'));
    const before = await points();
    const alphaBefore = Number(await attr(SECTION, 'data-alpha-half'));
    // Point 3 (t = 0.6) up by 1: alpha at t = 0.5 grows.
    await dragPoint(3, 1);
    await until(page, attrIs(SECTION, 'data-alpha-half', alphaBefore.toFixed(6), false));
    const after = await points();
    expect(after[3][1]).toBeGreaterThan(before[3][1] + 0.5);
    expect(Number(await attr(SECTION, 'data-alpha-half'))).toBeGreaterThan(alphaBefore);
    // Far past its left neighbour: clamped just below it, so the curve stays decreasing.
    await dragPoint(2, 30);
    const clamped = await points();
    expect(clamped[2][1]).toBeLessThan(clamped[1][1]);
    expect(clamped[2][1]).toBeGreaterThan(clamped[1][1] - 0.2);
    for (let k = 1; k < clamped.length; k++) expect(clamped[k][1]).toBeLessThan(clamped[k - 1][1]);
    await shot('schedule-custom-dragged');
    // Ctrl+Z takes back the last drag, Ctrl+Shift+Z redoes it.
    const alphaDragged = await attr(SECTION, 'data-alpha-half');
    await page.locator(EDITOR).focus();
    await page.keyboard.press('Control+z');
    await until(page, attrIs(EDITOR, 'data-points', after.map((p) => p.join(':')).join(',')));
    await page.keyboard.press('Control+Shift+z');
    await until(page, attrIs(SECTION, 'data-alpha-half', alphaDragged));
    expect(await page.locator('[data-testid="noising-strip"] canvas').count()).toBe(7);
  }, 30_000);

  it('presets redraw the plots; the linear preset goes back to training', async () => {
    await page.locator('[data-preset="vp-cosine"]').click();
    await until(page, attrIs(SECTION, 'data-schedule', 'vp-cosine'));
    expect(Number(await attr(SECTION, 'data-alpha-half'))).toBeCloseTo(Math.cos((0.508 / 1.008) * (Math.PI / 2)) / Math.cos((0.008 / 1.008) * (Math.PI / 2)), 5);
    await page.waitForTimeout(150);
    await shot('schedule-vp-cosine');
    await page.locator('[data-preset="linear"]').click();
    await until(page, attrIs(SECTION, 'data-alpha-half', '0.500000'));
  }, 30_000);

  it('trains the MLP on two moons: the loss grows, samples appear, pause and resume work, frames stay smooth', async () => {
    await page.locator('nav [data-section="train"]').click();
    await page.locator('[data-testid="train-form"]').waitFor(WAIT);
    await page.locator('#tf-hidden').fill('64, 64');
    await page.locator('#tf-hidden').dispatchEvent('change');
    await page.locator('#tf-steps').fill('1500');
    await page.locator('#tf-steps').dispatchEvent('change');
    await page.locator('#tf-warmup').fill('50');
    await page.locator('#tf-warmup').dispatchEvent('change');
    await page.locator('#tf-ckpt').fill('250');
    await page.locator('#tf-ckpt').dispatchEvent('change');
    const idle = (await page.evaluate(FRAME_TIMES(1000))) as FrameStats;
    console.log(`frame times idle: ${idle.frames} frames, median ${idle.median.toFixed(1)} ms, p95 ${idle.p95.toFixed(1)} ms, max ${idle.max.toFixed(1)} ms, ${idle.longTasks} long tasks`);
    await page.locator('[data-testid="section-train"]').focus();
    await page.keyboard.press('Control+Enter');
    await until(page, attrIs(CONTROLS, 'data-status', 'running'));
    await until(page, countAtLeast(LOSS, 'data-point-count', 3));
    const early = Number(await attr(LOSS, 'data-point-count'));

    // Space pauses while the section has the focus (early, so the run is surely still going); Resume continues.
    await page.locator('[data-testid="section-train"]').focus();
    await page.keyboard.press('Space');
    await until(page, attrIs(CONTROLS, 'data-status', 'paused'));
    const pausedAt = Number(await attr(CONTROLS, 'data-step'));
    expect(pausedAt).toBeLessThan(1500);
    await shot('train-paused');
    await page.locator('[data-testid="train-resume"]').click();
    await until(page, attrIs(CONTROLS, 'data-status', 'running'));

    const frames = (await page.evaluate(FRAME_TIMES(2000))) as FrameStats;
    console.log(`frame times while training: ${frames.frames} frames, median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms, ${frames.longTasks} long tasks (longest ${frames.longest.toFixed(0)} ms)`);
    // Reported, not asserted: on a shared 2-core machine frame times measure the load as much as the page.
    expect(frames.frames).toBeGreaterThan(10);
    expect(Number(await attr(LOSS, 'data-point-count'))).toBeGreaterThan(early);
    await shot('train-running');
    await until(page, attrIs(CONTROLS, 'data-status', 'completed'), 40_000);
    await until(page, countAtLeast('[data-testid="preview-chart"]', 'data-sample-count', 1));
    await page.locator('[data-testid="run-list"] [data-run-status="completed"]').waitFor(WAIT);
    expect(Number(await attr(LOSS, 'data-point-count'))).toBeGreaterThan(early);
    expect(await page.locator('[data-testid="backend-panel"]').getAttribute('data-backend')).not.toBe('');
    await page.waitForTimeout(150);
    await shot('train-completed');
  }, 60_000);

  it('reopening the finished run from the list shows its history', async () => {
    await page.reload(WAIT);
    await page.locator('nav [data-section="train"]').click();
    const item = page.locator('[data-testid="run-list"] [data-run-status="completed"]');
    await item.waitFor(WAIT);
    await item.click();
    await until(page, countAtLeast(LOSS, 'data-point-count', 10));
    // The form takes the run's settings back.
    expect(await page.locator('#tf-hidden').inputValue()).toBe('64, 64');
    expect(await page.locator('#tf-steps').inputValue()).toBe('1500');
    await page.waitForTimeout(150);
    await shot('train-reopened');
    // The charts redraw in the other theme's colours.
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.waitForTimeout(250);
    await shot('train-dark');
    await page.locator('nav [data-section="schedule"]').click();
    await page.locator(SECTION).waitFor(WAIT);
    await page.waitForTimeout(250);
    await shot('schedule-dark');
    await page.locator('[data-testid="theme-toggle"]').click();
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
