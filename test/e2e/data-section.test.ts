// End-to-end: the built renderer in real Chromium against the headless server: Data section, zoom, save, theme, errors.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { attributeIs, BODY_BACKGROUND, COUNT_POINT_PIXELS, openStudio, SCREENSHOTS, spanOf, until, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
const CHART = '[data-point-count]';

describe('Data section in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  const chartAttr = (name: string) => page.locator(CHART).getAttribute(name);

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1440, height: 900 } });
    page = studio.page;
  }, 60_000);

  // the last test closes the server itself; closing it again does nothing
  afterAll(() => studio?.close(), 30_000);

  it('opens with the token, hides it from the address bar, and lists the built-in sets', async () => {
    await page.goto(studio.url, WAIT);
    await until(page, 'document.querySelectorAll("[data-dataset-id]").length >= 8', WAIT.timeout);
    const ids = await page.locator('[data-dataset-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dataset-id')));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(ids).toContain('two-moons');
    expect(page.url()).not.toContain('token=');
    await page.locator('[data-testid="app-version"]', { hasText: '0.0.0-e2e' }).waitFor(WAIT);
  }, 30_000);

  it('still connects after a reload (the token is kept for the tab)', async () => {
    await page.reload(WAIT);
    await page.locator('[data-dataset-id="two-moons"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="connection-banner"]').count()).toBe(0);
  }, 30_000);

  it('draws two-moons with 10,000 points on the canvas', async () => {
    await page.locator('[data-dataset-id="two-moons"]').click();
    await page.locator(`${CHART}[data-dataset="two-moons"][data-point-count="10000"]`).waitFor(WAIT);
    expect(await page.locator('#param-count').inputValue()).toBe('10000');
    await page.locator('[data-testid="dataset-stats"] td').first().waitFor(WAIT);
    // Large series render progressively over a few frames: wait until the points are on the canvas.
    await until(page, `${COUNT_POINT_PIXELS} > 3000`, WAIT.timeout);
    expect((await page.evaluate(COUNT_POINT_PIXELS)) as number).toBeGreaterThan(3000);
    await studio.shot('data-two-moons');
  }, 30_000);

  it('switching the set and its count regenerates the points', async () => {
    await page.locator('[data-dataset-id="circles"]').click();
    await page.locator(`${CHART}[data-dataset="circles"][data-point-count="10000"]`).waitFor(WAIT);
    await page.locator('#param-count').fill('4000');
    await page.locator(`${CHART}[data-dataset="circles"][data-point-count="4000"]`).waitFor(WAIT);
    await studio.shot('data-circles-4000');
    await page.locator('#param-count').fill('0');
    await page.locator('#param-count-error').waitFor(WAIT);
    expect(await chartAttr('data-point-count')).toBe('4000');
    await page.locator('#param-count').fill('10000');
    await page.locator(`${CHART}[data-point-count="10000"]`).waitFor(WAIT);
    expect(await page.locator('#param-count-error').count()).toBe(0);
  }, 30_000);

  it('zooms with the mouse wheel and resets the zoom', async () => {
    await page.locator('[data-dataset-id="two-moons"]').click();
    await page.locator(`${CHART}[data-dataset="two-moons"]`).waitFor(WAIT);
    const before = await chartAttr('data-x-range');
    const box = await page.locator(CHART).boundingBox();
    if (!box) throw new Error('the chart has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await until(page, attributeIs(CHART, 'data-x-range', before, false), WAIT.timeout);
    const zoomed = await chartAttr('data-x-range');
    expect(spanOf(zoomed)).toBeLessThan(spanOf(before) * 0.9);
    expect(spanOf(await chartAttr('data-y-range'))).toBeGreaterThan(0);
    await studio.shot('data-zoomed');
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await until(page, attributeIs(CHART, 'data-x-range', before), WAIT.timeout);
  }, 30_000);

  it('saves the set to the workspace: listed in the page and written to disk', async () => {
    await page.locator('#save-name').fill('e2e moons');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-testid="saved-list"] li', { hasText: 'e2e moons' }).waitFor(WAIT);
    const root = join(studio.served.workspace, 'datasets');
    const ids = readdirSync(root);
    expect(ids).toHaveLength(1);
    const meta = JSON.parse(readFileSync(join(root, ids[0], 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ id: ids[0], name: 'e2e moons', shape: [10_000, 2], source: { id: 'two-moons', count: 10_000 } });
    expect(existsSync(join(root, ids[0], 'data.f32'))).toBe(true);
    expect(statSync(join(root, ids[0], 'data.f32')).size).toBe(10_000 * 2 * 4);
    await studio.shot('data-saved');
  }, 30_000);

  it('the theme toggle changes the page background and is remembered', async () => {
    const light = await page.evaluate(BODY_BACKGROUND);
    await page.locator('[data-testid="theme-toggle"]').click();
    await until(page, `${BODY_BACKGROUND} !== ${JSON.stringify(light)}`, WAIT.timeout);
    const dark = await page.evaluate(BODY_BACKGROUND);
    expect(dark).not.toBe(light);
    await page.waitForTimeout(200); // the chart redraws in the new colours on the next frame
    await studio.shot('data-dark');
    await page.reload(WAIT);
    await page.locator('[data-dataset-id="two-moons"]').waitFor(WAIT);
    expect(await page.evaluate(BODY_BACKGROUND)).toBe(dark);
  }, 30_000);

  it('opens every section from the navigation, none marked unfinished', async () => {
    for (const id of ['schedule', 'train', 'sample', 'export', 'data']) {
      const link = page.locator(`nav [data-section="${id}"]`);
      expect(await link.locator('.badge').count()).toBe(0);
      await link.click();
      const panel = page.locator(`[data-testid="section-${id}"]`);
      await panel.waitFor(WAIT);
      expect(await panel.getByText('Not yet available').count()).toBe(0);
    }
    await page.locator(`${CHART}[data-point-count="10000"]`).waitFor(WAIT);
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });

  it('a page opened without the token shows the connection banner, not a blank page', async () => {
    const bare = await studio.browser.newContext({ viewport: { width: 1200, height: 700 }, colorScheme: 'light' });
    try {
      const p = await bare.newPage();
      await p.goto(studio.served.server.origin + '/', WAIT);
      const banner = p.locator('[data-testid="connection-banner"]');
      await banner.waitFor(WAIT);
      expect(await banner.textContent()).toContain('npm run serve');
      expect(await p.locator('nav [data-section="data"]').count()).toBe(1);
      await p.screenshot({ path: join(SCREENSHOTS, 'no-token.png') });

      await p.goto(`${studio.served.server.origin}/?token=wrong-token`, WAIT);
      await p.locator('[data-testid="connection-banner"]', { hasText: 'Cannot connect' }).waitFor(WAIT);
    } finally {
      await bare.close();
    }
  }, 30_000);

  it('a dropped connection shows the banner and keeps the last points on screen', async () => {
    await page.locator(`${CHART}[data-point-count="10000"]`).waitFor(WAIT);
    await studio.served.close();
    const banner = page.locator('[data-testid="connection-banner"]', { hasText: 'was lost' });
    await banner.waitFor(WAIT);
    expect(await banner.textContent()).toContain('npm run serve');
    expect(await page.locator(CHART).getAttribute('data-point-count')).toBe('10000');
    await studio.shot('connection-lost');
  }, 30_000);
});
