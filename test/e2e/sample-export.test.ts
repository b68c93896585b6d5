// End-to-end: Sample (ODE vs SDE from the same noise, read off the panels' pixels; scrubber, play/pause, metric against NFE) and Export, in Chromium.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../src-core/api/studio-api';
import { datasetMixture } from '../../src-core/data';
import { openStudio, panelsAt, sectionUrl, waitUntil, type OpenStudio } from './browser';
import { cloudOverlap, colourMask, columnSpan, countInk, grabChart, parseColour, plotOf, readCloud, shareNear, themeColour, type CloudView } from './pixels';

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

/** The centres of the eight clusters (the data set's own mixture, radius 2) and a disc around each that holds its points. */
const CENTRES = (datasetMixture('eight-gaussians', {})?.means ?? []).map(([x, y]) => [x, y] as const);
const NEAR = 0.5;
/** 2000 particles of 2.5 px: at step 0, spread as noise, they ink over 6000 pixels; a blank or sparse panel stays far below. */
const CLOUD_INK = 2000;
/**
 * Page script: presses play, then pause from inside the page as soon as the ODE panel shows step `at` or later, so
 * no round trip (slow on a loaded machine) lets play run to the end first; resolves with the step it paused on.
 */
const playUntil = (at: number) => `new Promise((done) => {
  const panel = document.querySelector('[data-panel="ode"]');
  const toggle = document.querySelector('[data-testid="play-toggle"]');
  const watch = new MutationObserver(() => {
    const step = Number(panel.getAttribute('data-step'));
    if (step < ${at}) return;
    watch.disconnect();
    toggle.click();
    done(step);
  });
  watch.observe(panel, { attributes: true, attributeFilter: ['data-step'] });
  toggle.click();
})`;
/** MetricChart.vue's grid without an NLL axis, and its SDE colour in the light theme. */
const METRIC_GRID = { left: 64, right: 20, top: 34, bottom: 42 };
const SDE_LIGHT = parseColour('#c2185b');

describe('Sample and Export sections in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let workspace: string;
  let api: StudioApi;
  let runId: string;

  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  const clouds = async (): Promise<[CloudView, CloudView]> => [await readCloud(page, ODE), await readCloud(page, SDE)];
  /** How far the two panels' clouds share their pixels (1: the same picture of points). */
  const panelsOverlap = async () => cloudOverlap(...(await clouds()));

  beforeAll(async () => {
    studio = await openStudio({ fullPage: true });
    page = studio.page;
    ({ workspace, api } = studio.served);
    // the run trains while the sampling journey goes on; the export journey waits for it
    runId = (await api.call('training.start', { config: TINY_RUN, name: 'e2e tiny run' })).runId;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('samples the ideal model of eight Gaussians: both panels draw the same noise at step 0, part ways, and end on the eight clusters', async () => {
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await page.locator('#sample-model option[value="oracle:eight-gaussians"]').waitFor({ ...WAIT, state: 'attached' });
    // picked, not assumed: the first model listed is the default, and the run training beside this test may come first
    await page.locator('#sample-model').selectOption('oracle:eight-gaussians');
    await page.locator('[data-testid="sample-run"]').click();
    await page.locator('[data-testid="section-sample"][data-compared="oracle:eight-gaussians"]').waitFor(WAIT);
    await panelsAt(page, 0);
    expect(await attr(ODE, 'data-point-count')).toBe('2000');
    const [ode0, sde0] = await clouds();
    for (const v of [ode0, sde0]) expect(countInk(v.points)).toBeGreaterThan(CLOUD_INK);
    // the same noise: the same pixels of points in both panels, and not yet gathered on the clusters
    expect(cloudOverlap(ode0, sde0)).toBe(1);
    expect(shareNear(ode0.points, ode0.plot, CENTRES, NEAR)).toBeLessThan(0.4);
    await studio.shot('sample-step0');

    await page.locator('#step-slider').fill('20');
    await panelsAt(page, 20);
    expect(await attr(ODE, 'data-time')).toBe(await attr(SDE, 'data-time'));
    const [ode20, sde20] = await clouds();
    for (const v of [ode20, sde20]) expect(countInk(v.points)).toBeGreaterThan(CLOUD_INK / 2);
    // gamma 1 adds noise the ODE does not: halfway, the clouds share few of their pixels
    expect(cloudOverlap(ode20, sde20)).toBeLessThan(0.5);
    await studio.shot('sample-mid');

    await page.keyboard.press('ArrowRight'); // the slider has the focus: the arrow moves one step
    await panelsAt(page, 21);
    await page.locator('#step-slider').fill('40');
    await panelsAt(page, 40);
    const [ode40, sde40] = await clouds();
    for (const v of [ode40, sde40]) {
      expect(countInk(v.points)).toBeGreaterThan(CLOUD_INK / 4); // gathered, the points overlap
      expect(shareNear(v.points, v.plot, CENTRES, NEAR)).toBeGreaterThan(0.95);
    }
    expect(cloudOverlap(ode40, sde40)).toBeLessThan(0.7);
    await studio.shot('sample-end');
  }, 30_000);

  // Frame times while playing are measured by bench/ui-frames.ts, not here: on a shared 2-core machine they measure the load.
  it('play moves the step and the picture, pause holds both', async () => {
    await page.locator('#step-slider').fill('0');
    await panelsAt(page, 0);
    const start = await readCloud(page, ODE);
    const paused = (await page.evaluate(playUntil(10))) as number;
    expect(paused).toBeGreaterThanOrEqual(10);
    expect(paused).toBeLessThan(40);
    expect(await page.locator('[data-testid="play-toggle"]').textContent()).toContain('Play');
    const held = await readCloud(page, ODE);
    // ten steps on, the cloud is drawn elsewhere (measured 0.15 of its pixels in common, paths and heads left out)
    expect(cloudOverlap(held, start)).toBeLessThan(0.5);
    await page.waitForTimeout(400);
    expect(Number(await attr(ODE, 'data-step'))).toBe(paused);
    expect(await attr(SDE, 'data-step')).toBe(String(paused));
    expect(cloudOverlap(await readCloud(page, ODE), held)).toBe(1);
  }, 30_000);

  it('the gamma slider re-samples the right panel only in its noise, not its start: at gamma 0 both panels draw the same points', async () => {
    expect(await panelsOverlap()).toBeLessThan(0.9);
    await page.locator('#gamma').fill('0');
    await page.locator('#gamma').dispatchEvent('change');
    // gamma 0 with Euler–Maruyama is Euler on the ODE: the two panels now draw the same points at every step
    await waitUntil('the SDE panel to draw the ODE panel\'s points at gamma 0', async () => (await panelsOverlap()) === 1);
    await page.locator('#gamma').fill('1');
    await page.locator('#gamma').dispatchEvent('change');
    await waitUntil('the SDE panel to part from the ODE panel at gamma 1', async () => (await panelsOverlap()) < 0.9);
  }, 30_000);

  it('fills the metric-against-NFE chart on demand, with progress: a line per sampler drawn across the NFE axis', async () => {
    await page.locator('[data-testid="metric-run"]').click();
    await page.locator('[data-testid="metric-progress"]').waitFor(WAIT);
    await page.locator('[data-testid="metric-chart"][data-point-count="12"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="metric-run"]').waitFor(WAIT);
    const chart = await grabChart(page, '[data-testid="metric-chart"]');
    const plot = plotOf(chart, METRIC_GRID);
    for (const colour of [await themeColour(page, '[data-testid="metric-chart"]', '--point'), SDE_LIGHT]) {
      // the NFE axis runs from the first count measured to the last: each sampler's line crosses nearly all of it
      const [lo, hi] = columnSpan(colourMask(chart, colour, { within: plot })) ?? [0, 0];
      expect(hi - lo).toBeGreaterThan(0.9 * (plot.x1 - plot.x0));
    }
    // the section scrolls inside the main pane, not the page: bring the chart into the picture
    await page.locator('[data-testid="metric-panel"]').scrollIntoViewIfNeeded();
    await studio.shot('sample-metric');
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
    await studio.shot('export-model');

    await page.locator('#export-name').fill('e2e-sampler');
    await page.locator('#export-graph').check();
    await page.locator('#export-steps').fill('16');
    await page.locator('[data-testid="export-run"]').click();
    await page.locator('[data-testid="export-verdict"]', { hasText: 'valid sampler graph' }).waitFor({ timeout: 20_000 });
    expect(existsSync(join(workspace, 'runs', runId, 'exports', 'e2e-sampler.onnx'))).toBe(true);
    await studio.shot('export-sampler-graph');
  }, 70_000);

  it('samples the exported network in the Sample section: both panels draw a cloud', async () => {
    await page.locator('nav [data-section="sample"]').click();
    const key = `onnx:${join(workspace, 'runs', runId, 'exports', 'e2e-model.onnx')}`;
    await page.locator(`#sample-model option[value=${JSON.stringify(key)}]`).waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-model').selectOption(key);
    await page.locator('[data-testid="sample-run"]').click();
    await page.locator(`[data-testid="section-sample"][data-compared=${JSON.stringify(key)}]`).waitFor({ timeout: 20_000 });
    await page.locator('#step-slider').fill('40');
    await panelsAt(page, 40);
    expect(await attr(ODE, 'data-point-count')).toBe('2000');
    // a network trained for 150 steps lands far from the clusters; both panels still draw its cloud, each its own
    const [ode, sde] = await clouds();
    for (const v of [ode, sde]) expect(countInk(v.points)).toBeGreaterThan(CLOUD_INK / 2);
    expect(cloudOverlap(ode, sde)).toBeLessThan(0.7);
    await studio.shot('sample-onnx');
  }, 30_000);

  it('logged no errors in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
