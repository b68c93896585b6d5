// End-to-end: the Lab's same-marginals panel in Chromium: p_t drawn where the mixture is, its fields switched, and every gamma's particles landing on the
// data's modes at the end of sampling (read back from the pixels), with the MMD permutation evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { INITIAL_MIXTURE } from '../../src-renderer/features/data/mixture-components';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { inkOf, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio, setRange } from '../lab/lab-studio';
import { colourMask, countInk, parseColour, shareNear } from './pixels';

const PANEL = '[data-testid="lab-same-marginals"]';
const FIELD = '[data-testid="lab-sm-field"]';
const colours = labColours('light');
const means = INITIAL_MIXTURE.map((c) => c.mean);

describe('Lab: same marginals, different paths, in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-same-marginals-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/same-marginals'));
    await page.locator('[data-testid="section-lab"][data-panel="same-marginals"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it("draws p_t on the Data section's mixture at the end, and the field over it", async () => {
    await landed(page, PANEL, 0, 60_000);
    // the last snapshot: t = tMin = 0 on the 'linear' schedule, p_0 the mixture itself
    await setRange(page, '[data-testid="lab-sm-scrub"]', 5);
    expect(Number(await page.locator(FIELD).getAttribute('data-t'))).toBe(0);
    await studio.shot('end');
    const pic = await readPlot(page, FIELD);
    // the densest pixels (the heat map at nearly full opacity) sit on the components' means
    const dense = colourMask(pic.picture, parseColour(colours.density), { within: pic.plot, tolerance: 40, minAlpha: 200 });
    expect(countInk(dense)).toBeGreaterThan(50);
    expect(shareNear(dense, pic.plot, means, 0.6)).toBeGreaterThan(0.95);
    const arrows = inkOf(pic, await page.evaluate(`getComputedStyle(document.querySelector('${FIELD}')).getPropertyValue('--text')`) as string, 50);
    const velocityInk = countInk(arrows);
    expect(velocityInk).toBeGreaterThan(300);
    await page.locator('[data-testid="lab-sm-field-score"]').check();
    await page.locator(`${FIELD}[data-field="score"]`).waitFor({ timeout: 5000 });
    const score = await readPlot(page, FIELD);
    const scoreArrows = inkOf(score, await page.evaluate(`getComputedStyle(document.querySelector('${FIELD}')).getPropertyValue('--text')`) as string, 50);
    // a different field draws different arrows over the same density
    let differ = 0;
    for (let i = 0; i < arrows.on.length; i++) differ += arrows.on[i] ^ scoreArrows.on[i];
    expect(differ).toBeGreaterThan(0.3 * velocityInk);
    await studio.shot('score');
  }, 90_000);

  it('lands the particles of every gamma on the modes at the end, spread out at t = 1, with MMD evidence', async () => {
    const gammas = await page.locator('[data-testid^="lab-sm-particles-"]').count();
    expect(gammas).toBe(4);
    for (let g = 0; g < gammas; g++) {
      const pic = await readPlot(page, `[data-testid="lab-sm-particles-${g}"]`);
      const ink = inkOf(pic, colours.gammas[g], 50);
      expect(countInk(ink)).toBeGreaterThan(200);
      // the mixture's spreads are 0.4 to 0.5: particles within 1.5 of a mean are all but the tails
      expect(shareNear(ink, pic.plot, means, 1.5)).toBeGreaterThan(0.9);
    }
    const evidence = page.locator('[data-testid="lab-sm-evidence"]');
    expect(await evidence.textContent()).toMatch(/MMD² and a permutation test: \d of 4 have p < 0\.05/);
    expect(Number(await evidence.getAttribute('data-min-p'))).toBeGreaterThan(0.001);
    // at t = 1 the particles are N(0, I): fewer of them near the modes
    await setRange(page, '[data-testid="lab-sm-scrub"]', 0);
    await studio.shot('start');
    const start = await readPlot(page, '[data-testid="lab-sm-particles-0"]');
    expect(shareNear(inkOf(start, colours.gammas[0], 50), start.plot, means, 0.6)).toBeLessThan(0.6);
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
