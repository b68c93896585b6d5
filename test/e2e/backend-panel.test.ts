// End-to-end: the Train section's backend panel before any run: what the host probed, auto's pick, sampling, and a forced choice that cannot run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPrerequisites, launchChromium, SCREENSHOTS, serveStudio, type ServedStudio } from './browser';

const WAIT = { timeout: 20_000 };
const PANEL = '[data-testid="backend-panel"]';

describe('Backend panel in Chromium', () => {
  let studio: ServedStudio;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    checkPrerequisites();
    studio = await serveStudio();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    await page.goto(studio.server.url, WAIT);
    await page.locator('[data-dataset-id="two-moons"]').waitFor(WAIT);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await studio?.close();
  }, 30_000);

  it('lists every backend with its device or its reason and fix, marks what auto picks, and says what sampling runs on', async () => {
    await page.locator('nav [data-section="train"]').click();
    const rows = page.locator(`${PANEL} [data-backend-row]`);
    await rows.nth(4).waitFor(WAIT);
    expect(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-backend-row')}:${e.getAttribute('data-available')}`))).toEqual([
      'tensorflow-gpu:false',
      'onnxruntime:true',
      'tensorflow:false',
      'wasm:true',
      'cpu:true',
    ]);
    expect(await page.locator(PANEL).getAttribute('data-auto')).toBe('onnxruntime');
    expect(await page.locator('[data-testid="backend-auto"]').textContent()).toMatch(/A run on auto trains on onnxruntime/);
    const gpu = page.locator('[data-backend-row="tensorflow-gpu"]');
    expect(await gpu.textContent()).toMatch(/cannot run: @tensorflow\/tfjs-node-gpu is not installed/);
    expect(await gpu.locator('.fix').textContent()).toMatch(/^To get it: npm install @tensorflow\/tfjs-node-gpu/);
    expect(await page.locator('[data-backend-row="onnxruntime"] .badge').textContent()).toBe('auto');
    const sampling = page.locator('[data-testid="sampling-device"]');
    expect(await sampling.getAttribute('data-available')).toBe('true');
    expect(await sampling.textContent()).toMatch(/ONNX Runtime on CPU, \d+ threads?/);
    expect(await page.locator('[data-testid="backend-forced-problem"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'backend-panel-before-run.png') });
  }, 40_000);

  it('flags a forced backend that cannot run before anything starts, and drops the flag for one that can', async () => {
    await page.locator('#tf-backend').selectOption('tensorflow');
    const flag = page.locator('[data-testid="backend-forced-problem"]');
    await flag.waitFor(WAIT);
    expect(await flag.getAttribute('data-forced')).toBe('tensorflow');
    expect(await flag.getAttribute('role')).toBe('alert');
    expect(await flag.textContent()).toMatch(/tensorflow cannot run here\..*@tensorflow\/tfjs-node is not installed.*To get it: npm install @tensorflow\/tfjs-node .*choose auto \(onnxruntime\) in the form\./);
    await page.screenshot({ path: join(SCREENSHOTS, 'backend-panel-forced.png') });
    await page.locator('#tf-backend').selectOption('wasm');
    await flag.waitFor({ state: 'detached', ...WAIT });
    await page.locator('#tf-backend').selectOption('auto');
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
