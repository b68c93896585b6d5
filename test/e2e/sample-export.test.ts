// End-to-end: Sample (ODE vs SDE from the same noise, scrubber, play/pause, frame times, metric against NFE) and Export, in Chromium.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { checkPrerequisites, launchChromium, RENDERER_ROOT, ROOT, SCREENSHOTS, waitUntil } from './browser';

const WAIT = { timeout: 15_000 };
const ODE = '[data-panel="ode"]';
const SDE = '[data-panel="sde"]';
/** A run small enough to finish in a few seconds on the CPU. */
const TINY_RUN = {
  data: { source: 'builtin', id: 'eight-gaussians', params: { count: 512 } },
  model: { family: 'mlp', hidden: [32, 32] },
  steps: 150,
  batchSize: 64,
  checkpointEvery: 50,
  seed: 3,
  backend: 'cpu',
};

/** Page script: requestAnimationFrame deltas (ms) over the given time. */
const frameDeltas = (ms: number) => `new Promise((resolve) => {
  const deltas = [];
  let last = performance.now();
  const end = last + ${ms};
  const tick = (now) => { deltas.push(now - last); last = now; if (now < end) requestAnimationFrame(tick); else resolve(deltas); };
  requestAnimationFrame(tick);
})`;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

describe('Sample and Export sections in Chromium', () => {
  let workspace: string;
  let host: StudioHost;
  let server: RunningServer;
  let api: StudioApi;
  let runId: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  const stepIs = async (n: number) => {
    await page.locator(`${ODE}[data-step="${n}"]`).waitFor(WAIT);
    await page.locator(`${SDE}[data-step="${n}"]`).waitFor(WAIT);
  };
  const sameClouds = async () => (await attr(ODE, 'data-checksum')) === (await attr(SDE, 'data-checksum'));

  beforeAll(async () => {
    checkPrerequisites();
    workspace = mkdtempSync(join(tmpdir(), 'studio-e2e-sample-'));
    // the training worker is the built one: this test runs the host from source, where no worker sits beside it
    host = createStudioHost({ workspace, version: '0.0.0-e2e', host: 'server', training: { workerPath: join(ROOT, 'out/main/training-worker.js') } });
    server = await startServer(host, { host: '127.0.0.1', port: 0, rendererRoot: RENDERER_ROOT });
    api = createDirectClient(host.dispatch, host.events);
    // the run trains while the sampling journey goes on; the export journey waits for it
    runId = (await api.call('training.start', { config: TINY_RUN, name: 'e2e tiny run' })).runId;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await host?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }, 30_000);

  it('samples the ideal model of eight Gaussians: both panels start from the same noise and part ways', async () => {
    await page.goto(server.url.replace(/#.*$/, '') + '#sample', WAIT);
    await page.locator('#sample-model option[value="oracle:eight-gaussians"]').waitFor({ ...WAIT, state: 'attached' });
    expect(await page.locator('#sample-model').inputValue()).toBe('oracle:eight-gaussians');
    await page.locator('[data-testid="sample-run"]').click();
    await page.locator('[data-testid="section-sample"][data-compared="oracle:eight-gaussians"]').waitFor(WAIT);
    await stepIs(0);
    expect(await attr(ODE, 'data-point-count')).toBe('2000');
    expect(await attr(ODE, 'data-checksum')).toBe(await attr(SDE, 'data-checksum'));
    await shot('sample-step0');

    await page.locator('#step-slider').fill('20');
    await stepIs(20);
    expect(await attr(ODE, 'data-time')).toBe(await attr(SDE, 'data-time'));
    expect(await attr(ODE, 'data-checksum')).not.toBe(await attr(SDE, 'data-checksum'));
    await shot('sample-mid');

    await page.keyboard.press('ArrowRight'); // the slider has the focus: the arrow moves one step
    await stepIs(21);
    await page.locator('#step-slider').fill('40');
    await stepIs(40);
    expect(await attr(ODE, 'data-checksum')).not.toBe(await attr(SDE, 'data-checksum'));
    await shot('sample-end');
  }, 30_000);

  it('play moves the step, pause holds it; frames stay smooth while playing', async () => {
    await page.locator('#step-slider').fill('0');
    await stepIs(0);
    const measuring = page.evaluate(frameDeltas(2000)) as Promise<number[]>;
    await page.locator('[data-testid="play-toggle"]').click();
    const deltas = (await measuring).slice(1);
    await page.locator('[data-testid="play-toggle"]').click(); // pause
    const paused = Number(await attr(ODE, 'data-step'));
    expect(paused).toBeGreaterThan(10);
    await page.waitForTimeout(400);
    expect(Number(await attr(ODE, 'data-step'))).toBe(paused);
    expect(await attr(SDE, 'data-step')).toBe(String(paused));
    const median = quantile(deltas, 0.5);
    const p95 = quantile(deltas, 0.95);
    console.log(`frame times while playing: ${deltas.length} frames, median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...deltas).toFixed(1)} ms`);
    // Frame times are reported, not asserted: on a shared 2-core machine they measure the load as much as the page.
    // The benchmark of record is this log line (a step shows for 60 ms; p95 under 100 ms skips at most one step).
    expect(deltas.length).toBeGreaterThan(10);
  }, 30_000);

  it('the gamma slider re-samples the right panel only in its noise, not its start', async () => {
    const before = await attr(SDE, 'data-checksum');
    await page.locator('#gamma').fill('0');
    await page.locator('#gamma').dispatchEvent('change');
    // gamma 0 with Euler–Maruyama is Euler on the ODE: the two panels now agree at every step
    await waitUntil('the SDE panel to follow gamma 0', async () => (await attr(SDE, 'data-checksum')) !== before && (await sameClouds()));
    await page.locator('#gamma').fill('1');
    await page.locator('#gamma').dispatchEvent('change');
    await waitUntil('the SDE panel to follow gamma 1', async () => !(await sameClouds()));
  }, 30_000);

  it('fills the metric-against-NFE chart on demand, with progress', async () => {
    await page.locator('[data-testid="metric-run"]').click();
    await page.locator('[data-testid="metric-progress"]').waitFor(WAIT);
    await page.locator('[data-testid="metric-chart"][data-point-count="12"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="metric-run"]').waitFor(WAIT);
    // the section scrolls inside the main pane, not the page: bring the chart into the picture
    await page.locator('[data-testid="metric-panel"]').scrollIntoViewIfNeeded();
    await shot('sample-metric');
    await page.locator('[data-testid="section-sample"] header').scrollIntoViewIfNeeded();
  }, 40_000);

  it('exports a trained run and the file is on disk with a valid verdict', async () => {
    const deadline = Date.now() + 40_000;
    for (;;) {
      const run = (await api.call('training.list', {})).runs.find((r) => r.id === runId);
      if (run?.status === 'completed') break;
      if (run?.status === 'failed' || Date.now() > deadline) throw new Error(`training did not complete: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.locator('nav [data-section="export"]').click();
    await page.locator(`[data-run-id="${runId}"]`).click();
    await page.locator('#export-name').fill('e2e-model');
    await page.locator('[data-testid="export-run"]').click();
    const path = (await page.locator('[data-testid="export-path"]').textContent({ timeout: 20_000 }))?.trim() ?? '';
    expect(path).toBe(join(workspace, 'runs', runId, 'exports', 'e2e-model.onnx'));
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(1000);
    expect(await page.locator('[data-testid="export-verdict"]').textContent()).toContain('valid studio model: inputs x, t');
    await page.locator('[data-export-name="e2e-model.onnx"]').waitFor(WAIT);
    await shot('export-model');

    await page.locator('#export-name').fill('e2e-sampler');
    await page.locator('#export-graph').check();
    await page.locator('#export-steps').fill('16');
    await page.locator('[data-testid="export-run"]').click();
    await page.locator('[data-testid="export-verdict"]', { hasText: 'valid sampler graph' }).waitFor({ timeout: 20_000 });
    expect(existsSync(join(workspace, 'runs', runId, 'exports', 'e2e-sampler.onnx'))).toBe(true);
    await shot('export-sampler-graph');
  }, 70_000);

  it('samples the exported network in the Sample section', async () => {
    await page.locator('nav [data-section="sample"]').click();
    const key = `onnx:${join(workspace, 'runs', runId, 'exports', 'e2e-model.onnx')}`;
    await page.locator(`#sample-model option[value=${JSON.stringify(key)}]`).waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-model').selectOption(key);
    await page.locator('[data-testid="sample-run"]').click();
    await page.locator(`[data-testid="section-sample"][data-compared=${JSON.stringify(key)}]`).waitFor({ timeout: 20_000 });
    await page.locator('#step-slider').fill('40');
    await stepIs(40);
    expect(await attr(ODE, 'data-point-count')).toBe('2000');
    await shot('sample-onnx');
  }, 30_000);

  it('logged no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
