// End-to-end: the Lab's Fokker–Planck panel in Chromium: the finite-volume curve drawn on the exact density (read back from the pixels), the particles'
// L1 distance on its sampling floor, the 2-D heat maps agreeing, and a long 2-D run cancelled from its Cancel button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mixtureDensity, smallMixture, transportMixture } from '../../src-core/lab/mixture-marginal';
import { ouSde } from '../../src-core/lab/sde';
import { parseMixture } from '../../src-core/oracle';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { INITIAL_MIXTURE, mixtureSpec } from '../../src-renderer/features/data/mixture-components';
import { openStudio, sectionUrl, until, type OpenStudio } from './browser';
import { inkCentroid, inkOf, inkTopline, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio, setRange } from '../lab/lab-studio';
import { countInk } from './pixels';

const PANEL = '[data-testid="lab-fokker-planck"]';
const colours = labColours('light');

/** Intersection over union of two masks. */
function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i] & b[i];
    either += a[i] | b[i];
  }
  return both / either;
}

describe('Lab: Fokker–Planck panel in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-fokker-planck-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/fokker-planck'));
    await page.locator('[data-testid="section-lab"][data-panel="fokker-planck"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('draws the finite-volume density on the exact one in 1-D, the particles around them', async () => {
    await landed(page, PANEL, 0);
    await setRange(page, '[data-testid="lab-fp-scrub"]', 16);
    await studio.shot('1d');
    const chart = '[data-testid="lab-fp-density"]';
    const t = Number(await page.locator(chart).getAttribute('data-t'));
    expect(t).toBeCloseTo(0.4, 10);
    const pic = await readPlot(page, chart);
    const fp = inkOf(pic, colours.fp);
    expect(countInk(fp)).toBeGreaterThan(500);
    expect(countInk(inkOf(pic, colours.particles, 70))).toBeGreaterThan(1000);
    // the exact density of the Data section's first mixture (its x-marginal) under OU(1, 1) at t, at each column of the drawn FP curve
    const m = smallMixture(parseMixture(mixtureSpec(INITIAL_MIXTURE)), 1);
    const { mean, variance } = ouSde(1, 1).transition(0, t);
    const { xs, ys } = inkTopline(fp, pic);
    const e = pic.plot.extent!;
    const pixel = (e.yMax - e.yMin) / (pic.plot.y1 - pic.plot.y0);
    const drawn = xs.map((x, i) => [x, ys[i]] as const).filter(([, y]) => Number.isFinite(y));
    const exact = mixtureDensity(transportMixture(m, mean, variance), Float64Array.from(drawn, ([x]) => x));
    const off = drawn.map(([, y], i) => Math.abs(y - exact[i]) / pixel).sort((a, b) => a - b);
    // the topline is the upper edge of a 3 px line: within a few pixels of the exact curve in nearly every column
    expect(drawn.length).toBeGreaterThan(0.8 * xs.length);
    expect(off[Math.floor(0.9 * off.length)]).toBeLessThan(4 * pic.picture.scale);
  }, 60_000);

  it('says the finite volumes sit on the exact density and the particles on their sampling floor, and plots it over t', async () => {
    const evidence = page.locator('[data-testid="lab-fp-evidence"]');
    expect(await evidence.textContent()).toMatch(/L1\(finite volumes, exact\) = \d\.\de-\d.*from sampling alone.*Mass is 1 to/s);
    const fpExact = Number(await evidence.getAttribute('data-fp-exact'));
    const particles = Number(await evidence.getAttribute('data-particles-exact'));
    const floor = Number(await evidence.getAttribute('data-floor'));
    expect(fpExact).toBeLessThan(0.01);
    expect(particles / floor).toBeGreaterThan(0.7);
    expect(particles / floor).toBeLessThan(1.3);
    // the FP-exact line runs decades below the particles-exact line
    const l1 = await readPlot(page, '[data-testid="lab-fp-l1"]');
    const low = inkCentroid(inkOf(l1, colours.fp), l1);
    const high = inkCentroid(inkOf(l1, colours.particles), l1);
    expect(low.count).toBeGreaterThan(100);
    expect(high.count).toBeGreaterThan(100);
    expect(high.y - low.y).toBeGreaterThan(1);
  }, 60_000);

  it('in 2-D shows the three densities as heat maps that agree', async () => {
    const before = Number(await page.locator(PANEL).getAttribute('data-version'));
    await page.locator('[data-testid="lab-fp-2d"]').check();
    await landed(page, PANEL, before, 60_000);
    await setRange(page, '[data-testid="lab-fp-scrub"]', 20);
    await page.locator(`${PANEL}[data-dim="2"]`).waitFor({ timeout: 5000 });
    await studio.shot('2d');
    const read = async (which: string, colour: string) => {
      const pic = await readPlot(page, `[data-testid="lab-fp-heat-${which}"]`);
      return inkOf(pic, colour, 60).on;
    };
    const fp = await read('fp', colours.fp);
    const exact = await read('exact', colours.exact);
    const particles = await read('particles', colours.particles);
    expect(fp.reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
    expect(iou(fp, exact)).toBeGreaterThan(0.9);
    expect(iou(particles, exact)).toBeGreaterThan(0.5);
  }, 90_000);

  it('cancels a long 2-D run from its button and keeps the last picture', async () => {
    const version = await page.locator(PANEL).getAttribute('data-version');
    await setRange(page, '[data-testid="lab-fp-cells"]', 160);
    await setRange(page, '[data-testid="lab-fp-particles"]', 100000);
    const bar = `${PANEL} [data-testid="lab-run-bar"]`;
    await until(page, `document.querySelector(${JSON.stringify(bar)})?.getAttribute('data-status') === 'running' && Number(document.querySelector(${JSON.stringify(`${bar} [role="progressbar"]`)})?.getAttribute('aria-valuenow')) > 0`, 20_000);
    await page.locator(`${PANEL} [data-testid="lab-cancel"]`).click();
    await until(page, `document.querySelector(${JSON.stringify(bar)})?.getAttribute('data-status') === 'cancelled'`, 10_000);
    expect(await page.locator(`${PANEL} [data-testid="lab-status"]`).textContent()).toMatch(/Cancelled/);
    expect(await page.locator(PANEL).getAttribute('data-version')).toBe(version);
    await studio.shot('cancelled');
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
