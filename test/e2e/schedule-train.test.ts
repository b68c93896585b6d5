// End-to-end: the Schedule section (drag a log-SNR point, plots follow, undo/redo) and the Train section (train, pause, resume; the drawn loss curve falls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { attributeIs, openStudio, serveStudio, until, type OpenStudio } from './browser';
import { colourMask, columnSpan, countInk, grabChart, medianRow, plotOf, themeColour } from './pixels';

const WAIT = { timeout: 20_000 };
const SECTION = '[data-testid="section-schedule"]';
const EDITOR = '[data-testid="logsnr-editor"]';
const CONTROLS = '[data-testid="run-controls"]';
const LOSS = '[data-testid="loss-chart"]';
/** The editor's grid margins in pixels (LogSnrEditor.vue GRID). */
const GRID = { left: 50, right: 16, top: 30, bottom: 34 };

/** LossChart.vue's grid margins (its legend sits above the plot). */
const LOSS_GRID = { left: 58, right: 62, top: 52, bottom: 32 };
const PREVIEW = '[data-testid="preview-chart"]';

const countAtLeast = (selector: string, name: string, n: number) => `Number(document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)})) >= ${n}`;

describe('Schedule and Train sections in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  /**
   * The loss curve as drawn: the pixels of the loss series' colour in the plot, their first and last tenth of columns
   * and the median row of each (rows grow downwards, so a lower loss has a larger row), plus the plot's size.
   */
  async function drawnLoss(): Promise<{ ink: number; width: number; plotWidth: number; plotHeight: number; firstRow: number; lastRow: number }> {
    const picture = await grabChart(page, LOSS);
    const plot = plotOf(picture, LOSS_GRID);
    const mask = colourMask(picture, await themeColour(page, LOSS, '--accent'), { within: plot });
    const [lo, hi] = columnSpan(mask) ?? [0, -1];
    const tenth = Math.max(1, Math.round((hi - lo) / 10));
    return { ink: countInk(mask), width: hi - lo + 1, plotWidth: plot.x1 - plot.x0, plotHeight: plot.y1 - plot.y0, firstRow: medianRow(mask, lo, lo + tenth), lastRow: medianRow(mask, hi - tenth, hi) };
  }
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
    studio = await openStudio({
      // previews every second
      studio: () => serveStudio({ training: { settings: { previewIntervalMs: 1000 } } }),
      viewport: { width: 1500, height: 1000 },
      waitFor: '[data-point-count="10000"][data-dataset="two-moons"]',
      timeout: WAIT.timeout,
    });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('draws a custom log-SNR curve: a dragged point moves, stays monotone, and the plots follow', async () => {
    await page.locator('nav [data-section="schedule"]').click();
    await page.locator(SECTION).waitFor(WAIT);
    expect(await attr(SECTION, 'data-alpha-half')).toBe('0.500000');
    await page.locator('[data-preset="custom"]').click();
    await until(page, attributeIs(EDITOR, 'data-point-count', '6'));
    const before = await points();
    const alphaBefore = Number(await attr(SECTION, 'data-alpha-half'));
    // Point 3 (t = 0.6) up by 1: alpha at t = 0.5 grows.
    await dragPoint(3, 1);
    await until(page, attributeIs(SECTION, 'data-alpha-half', alphaBefore.toFixed(6), false));
    const after = await points();
    expect(after[3][1]).toBeGreaterThan(before[3][1] + 0.5);
    expect(Number(await attr(SECTION, 'data-alpha-half'))).toBeGreaterThan(alphaBefore);
    // Far past its left neighbour: clamped just below it, so the curve stays decreasing.
    await dragPoint(2, 30);
    const clamped = await points();
    expect(clamped[2][1]).toBeLessThan(clamped[1][1]);
    expect(clamped[2][1]).toBeGreaterThan(clamped[1][1] - 0.2);
    for (let k = 1; k < clamped.length; k++) expect(clamped[k][1]).toBeLessThan(clamped[k - 1][1]);
    await studio.shot('schedule-custom-dragged');
    // Ctrl+Z takes back the last drag, Ctrl+Shift+Z redoes it.
    const alphaDragged = await attr(SECTION, 'data-alpha-half');
    await page.locator(EDITOR).focus();
    await page.keyboard.press('Control+z');
    await until(page, attributeIs(EDITOR, 'data-points', after.map((p) => p.join(':')).join(',')));
    await page.keyboard.press('Control+Shift+z');
    await until(page, attributeIs(SECTION, 'data-alpha-half', alphaDragged));
    expect(await page.locator('[data-testid="noising-strip"] canvas').count()).toBe(7);
  }, 30_000);

  it('presets redraw the plots; the linear preset goes back to training', async () => {
    await page.locator('[data-preset="vp-cosine"]').click();
    await until(page, attributeIs(SECTION, 'data-schedule', 'vp-cosine'));
    expect(Number(await attr(SECTION, 'data-alpha-half'))).toBeCloseTo(Math.cos((0.508 / 1.008) * (Math.PI / 2)) / Math.cos((0.008 / 1.008) * (Math.PI / 2)), 5);
    await page.waitForTimeout(150);
    await studio.shot('schedule-vp-cosine');
    await page.locator('[data-preset="linear"]').click();
    await until(page, attributeIs(SECTION, 'data-alpha-half', '0.500000'));
  }, 30_000);

  // Frame times while training are measured by bench/ui-frames.ts, not here: on a shared 2-core machine they measure the load.
  it('trains the MLP on two moons: loss points stream in and the drawn loss curve falls, preview samples are drawn, pause and resume work', async () => {
    await page.locator('nav [data-section="train"]').click();
    await page.locator('[data-testid="train-form"]').waitFor(WAIT);
    await page.locator('#tf-hidden').fill('64, 64');
    await page.locator('#tf-hidden').dispatchEvent('change');
    await page.locator('#tf-steps').fill('1500');
    await page.locator('#tf-steps').dispatchEvent('change');
    await page.locator('[data-group="optimiser"] summary').click(); // the optimiser's fields start folded
    await page.locator('#tf-warmupSteps').fill('50');
    await page.locator('#tf-warmupSteps').dispatchEvent('change');
    await page.locator('#tf-checkpointEvery').fill('250');
    await page.locator('#tf-checkpointEvery').dispatchEvent('change');
    await page.locator('[data-testid="section-train"]').focus();
    await page.keyboard.press('Control+Enter');
    await until(page, attributeIs(CONTROLS, 'data-status', 'running'));
    await until(page, countAtLeast(LOSS, 'data-point-count', 3));
    const early = Number(await attr(LOSS, 'data-point-count'));

    // Space pauses while the section has the focus (early, so the run is surely still going); Resume continues.
    await page.locator('[data-testid="section-train"]').focus();
    await page.keyboard.press('Space');
    await until(page, attributeIs(CONTROLS, 'data-status', 'paused'));
    const pausedAt = Number(await attr(CONTROLS, 'data-step'));
    expect(pausedAt).toBeLessThan(1500);
    await studio.shot('train-paused');
    await page.locator('[data-testid="train-resume"]').click();
    await until(page, attributeIs(CONTROLS, 'data-status', 'running'));

    await until(page, countAtLeast(LOSS, 'data-point-count', early + 1));
    await studio.shot('train-running');
    await until(page, attributeIs(CONTROLS, 'data-status', 'completed'), 40_000);
    await until(page, countAtLeast(PREVIEW, 'data-sample-count', 1));
    await page.locator('[data-testid="run-list"] [data-run-status="completed"]').waitFor(WAIT);
    expect(Number(await attr(LOSS, 'data-point-count'))).toBeGreaterThan(early);
    // what the chart shows: a loss curve across the plot whose last tenth is drawn below its first (measured 19 to 22 of 312
    // pixels lower on the log axis; a flat curve gives 0, a rising one less)
    const loss = await drawnLoss();
    expect(loss.width).toBeGreaterThan(0.9 * loss.plotWidth);
    expect(loss.lastRow - loss.firstRow).toBeGreaterThan(0.03 * loss.plotHeight);
    // the preview's samples are drawn in the theme's danger colour over the data
    const preview = await grabChart(page, PREVIEW);
    expect(countInk(colourMask(preview, await themeColour(page, PREVIEW, '--danger')))).toBeGreaterThan(1000);
    expect(await page.locator('[data-testid="backend-panel"]').getAttribute('data-backend')).not.toBe('');
    await page.waitForTimeout(150);
    await studio.shot('train-completed');
  }, 60_000);

  it('reopening the finished run from the list draws its falling loss curve again and restores its settings', async () => {
    await page.reload(WAIT);
    await page.locator('nav [data-section="train"]').click();
    const item = page.locator('[data-testid="run-list"] [data-run-status="completed"]');
    await item.waitFor(WAIT);
    await item.click();
    await until(page, countAtLeast(LOSS, 'data-point-count', 10));
    const loss = await drawnLoss();
    expect(loss.width).toBeGreaterThan(0.9 * loss.plotWidth);
    expect(loss.lastRow - loss.firstRow).toBeGreaterThan(0.03 * loss.plotHeight);
    // The form takes the run's settings back.
    expect(await page.locator('#tf-hidden').inputValue()).toBe('64, 64');
    expect(await page.locator('#tf-steps').inputValue()).toBe('1500');
    await page.waitForTimeout(150);
    await studio.shot('train-reopened');
    // The charts redraw in the other theme's colours.
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.waitForTimeout(250);
    await studio.shot('train-dark');
    await page.locator('nav [data-section="schedule"]').click();
    await page.locator(SECTION).waitFor(WAIT);
    await page.waitForTimeout(250);
    await studio.shot('schedule-dark');
    await page.locator('[data-testid="theme-toggle"]').click();
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
