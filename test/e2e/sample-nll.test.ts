// End-to-end: the NLL series of the Sample section's metric panel for the ideal model of eight Gaussians, in Chromium:
// cancel, a full sweep whose last value matches the exact NLL of the held-out draws, and the SDE note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { batch } from '../../src-core/batch';
import { datasetMixture } from '../../src-core/data';
import { createOracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { createSchedule } from '../../src-core/schedules';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { colourMask, columnSpan, grabChart, parseColour, plotOf, themeColour, type Rgb } from './pixels';

const WAIT = { timeout: 15_000 };
const CHART = '[data-testid="metric-chart"]';
/** MetricChart.vue's grid with the NLL axis on the right. */
const GRID = { left: 64, right: 64, top: 34, bottom: 42 };
/** MetricChart.vue's SDE colour in the light theme. */
const SDE_LIGHT = parseColour('#c2185b');

describe('NLL against NFE in the Sample section', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1440, height: 1100 }, fullPage: true });
    page = studio.page;
  }, 60_000);

  /** The share of the plot's width spanned by ink of the point colour (or the one given): how far along the NFE axis series are drawn. */
  async function drawnSpan(colour?: Rgb): Promise<number> {
    const picture = await grabChart(page, CHART);
    const plot = plotOf(picture, GRID);
    const [lo, hi] = columnSpan(colourMask(picture, colour ?? (await themeColour(page, CHART, '--point')), { within: plot })) ?? [0, -1];
    return (hi - lo + 1) / (plot.x1 - plot.x0);
  }

  afterAll(() => studio?.close(), 30_000);

  it('cancels a sweep, then measures the ideal model: five points drawn along the NFE axis, the last within 2e-3 nats of the exact NLL', async () => {
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await page.locator('#sample-model option[value="oracle:eight-gaussians"]').waitFor({ ...WAIT, state: 'attached' });
    expect(await page.locator('#sample-model').inputValue()).toBe('oracle:eight-gaussians');
    const note = await page.locator('[data-testid="nll-sde-note"]').textContent();
    expect(note).toMatch(/has no NLL series/);
    expect(note).toMatch(/probability-flow ODE/);

    // cancel while it runs: the button comes back and the sweep does not finish
    await page.locator('[data-testid="nll-run"]').click();
    await page.locator('[data-testid="nll-progress"]').waitFor(WAIT);
    await page.locator('[data-testid="nll-cancel"]').click();
    await page.locator('[data-testid="nll-run"]').waitFor(WAIT);
    await page.waitForTimeout(300);
    expect(Number(await page.locator(CHART).getAttribute('data-nll-count'))).toBeLessThan(5);

    await page.locator('[data-testid="nll-run"]').click();
    await page.locator('[data-testid="nll-progress"]').waitFor(WAIT);
    await page.locator(`${CHART}[data-nll-count="5"]`).waitFor({ timeout: 40_000 });
    await page.locator('[data-testid="nll-run"]').waitFor(WAIT);
    const last = (await page.locator('[data-testid="nll-last"]').textContent()) ?? '';
    const nats = Number(/NLL (-?[0-9.]+) ±/.exec(last)?.[1]);
    // five points at NFE 40 to 640 on a log axis from 32 to 1024: the dashed NLL line crosses four of its five octaves
    expect(await drawnSpan()).toBeGreaterThan(0.7);

    // the panel's held-out points: the first 500 of 1000 exact draws with the metric panel's seed (settings' seed 0)
    const mixture = datasetMixture('eight-gaussians', {});
    const oracle = createOracle(mixture, createSchedule({ name: 'linear' }));
    const draws = Float32Array.from(oracle.sample(1000, new Rng(1_000_003)).data).subarray(0, 500 * 2);
    const logp = oracle.logDensity(batch(Float64Array.from(draws), [500, 2]), 0);
    const exact = -logp.reduce((a, b) => a + b, 0) / 500;
    console.log(`NLL in the page: ${last.replace(/\s+/g, ' ').trim()}; exact ${exact.toFixed(4)} nats`);
    // RK4 at 32 steps is 2e-4 nats off here; the page rounds to 1e-3
    expect(Math.abs(nats - exact)).toBeLessThan(2e-3);
    expect(last).toMatch(/32 RK4 steps \(NFE 640\)/);

    await page.locator('[data-testid="metric-panel"]').scrollIntoViewIfNeeded();
    await studio.shot('sample-nll');
    expect(studio.pageErrors).toEqual([]);
  }, 90_000);

  it('the sample metric fills in beside the NLL series: both samplers\' lines drawn on the widened NFE axis', async () => {
    await page.locator('[data-testid="metric-run"]').click();
    await page.locator(`${CHART}[data-point-count="12"]`).waitFor({ timeout: 40_000 });
    expect(await page.locator(CHART).getAttribute('data-nll-count')).toBe('5');
    // the axis now runs from NFE 2: the SDE's metric line (2 to 64) crosses five of its nine octaves, and in the point
    // colour the ODE's metric line and the NLL's together cross 2 to 640
    expect(await drawnSpan(SDE_LIGHT)).toBeGreaterThan(0.45);
    expect(await drawnSpan()).toBeGreaterThan(0.85);
    expect(await page.locator(CHART).getAttribute('aria-label')).toMatch(/and NLL against the number of network evaluations/);
    await page.locator('[data-testid="metric-panel"]').scrollIntoViewIfNeeded();
    await studio.shot('sample-nll-metric');
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
