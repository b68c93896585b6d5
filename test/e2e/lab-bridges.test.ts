// End-to-end: the Lab's bridges panel in Chromium: three couplings drawn as pair lines (OT's the shortest), SB-CFM's map cost against W2^2, and the Gaussian bridge on its
// closed form; then a smaller s pulls the bridge's pairs onto OT's, and independent pairs in the Gaussian bridge are caught many standard errors off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { openStudio, sectionUrl, until, type OpenStudio } from './browser';
import { inkOf, readPlot } from '../lab/lab-pixels';
import { serveLabStudio, setRange } from '../lab/lab-studio';
import { countInk } from './pixels';

const PANEL = '[data-testid="lab-bridges"]';
const EVIDENCE = '[data-testid="lab-br-evidence"]';
const colours = labColours('light');

/** Waits until a run's version (data-<which>-version) passes `after`, and returns it. */
async function ran(page: Page, which: 'pairs' | 'sweep' | 'gauss', after: number, timeout: number): Promise<number> {
  const read = `Number(document.querySelector('${PANEL}')?.getAttribute('data-${which}-version') ?? -1)`;
  await until(page, `${read} > ${after}`, timeout);
  return Number(await page.evaluate(read));
}
const num = async (page: Page, name: string) => Number(await page.locator(EVIDENCE).getAttribute(`data-${name}`));

describe('Lab: bridges and transport, in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  const at = { pairs: 0, sweep: 0, gauss: 0 };

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-bridges-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/bridges'));
    await page.locator('[data-testid="section-lab"][data-panel="bridges"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('draws the three couplings, OT the shortest, with the sweep against W2^2 and the Gaussian bridge on its closed form', async () => {
    at.pairs = await ran(page, 'pairs', 0, 60_000);
    at.gauss = await ran(page, 'gauss', 0, 60_000);
    at.sweep = await ran(page, 'sweep', 0, 120_000);
    await studio.shot('default');
    const ink: Record<string, number> = {};
    for (const [key, colour] of [['independent', colours.particles], ['ot', colours.exact], ['bridge', colours.fp]] as const) {
      ink[key] = countInk(inkOf(await readPlot(page, `[data-testid="lab-br-pairs-${key}"]`), colour, 50));
      expect(ink[key]).toBeGreaterThan(100);
    }
    // the same points joined by shorter lines leave less ink: independent pairs the longest, OT's and the bridge's far shorter
    // (at s = 0.5 the bridge's pairs are close to OT's, so their ink is not told apart here; their costs are)
    expect(ink.ot).toBeLessThan(0.6 * ink.independent);
    expect(ink.bridge).toBeLessThan(0.6 * ink.independent);
    expect(await num(page, 'ot')).toBeLessThan(await num(page, 'bridge'));
    expect(await num(page, 'bridge')).toBeLessThan(await num(page, 'independent'));
    // the learned map's cost at the smallest s sits near W2^2; the chart draws both
    expect(Math.abs((await num(page, 'map-last')) / (await num(page, 'w2')) - 1)).toBeLessThan(0.3);
    const costs = await readPlot(page, '[data-testid="lab-br-costs"]');
    expect(countInk(inkOf(costs, colours.fp, 50))).toBeGreaterThan(80);
    expect(countInk(inkOf(costs, colours.exact, 50))).toBeGreaterThan(80);
    expect(await page.locator('[data-testid="lab-br-table"] tbody tr').count()).toBe(5);
    const pushed = await readPlot(page, '[data-testid="lab-br-pushed"]');
    expect(countInk(inkOf(pushed, colours.fp, 50))).toBeGreaterThan(200);
    // the simulated Gaussian bridge matches the closed form within a few standard errors, drawn as particles inside its ellipses
    expect(await num(page, 'cov-z')).toBeLessThan(4);
    expect(await num(page, 'mean-z')).toBeLessThan(4);
    const bridge = await readPlot(page, '[data-testid="lab-br-gauss"]');
    expect(countInk(inkOf(bridge, colours.particles, 50))).toBeGreaterThan(200);
    expect(countInk(inkOf(bridge, colours.exact, 50))).toBeGreaterThan(100);
  }, 200_000);

  it('pulls the bridge onto OT as s shrinks, and catches a wrong Gaussian bridge', async () => {
    const wide = await num(page, 'bridge');
    await setRange(page, '[data-testid="lab-br-s"]', 0.05);
    at.pairs = await ran(page, 'pairs', at.pairs, 30_000);
    const ot = await num(page, 'ot');
    const narrow = await num(page, 'bridge');
    expect(narrow).toBeLessThan(wide);
    expect(narrow).toBeLessThan(1.1 * ot);
    await page.locator('[data-testid="lab-br-pairing-independent"]').check();
    at.gauss = await ran(page, 'gauss', at.gauss, 30_000);
    expect(await page.locator(EVIDENCE).getAttribute('data-pairing')).toBe('independent');
    expect(await num(page, 'cov-z')).toBeGreaterThan(6);
    const z = await readPlot(page, '[data-testid="lab-br-z"]');
    expect(countInk(inkOf(z, colours.particles, 50))).toBeGreaterThan(100);
    // the page scrolls inside the section: bring the Gaussian bridge into the picture
    await page.locator('[data-testid="lab-br-gauss"]').scrollIntoViewIfNeeded();
    await studio.shot('wrong-bridge');
    expect(studio.pageErrors).toEqual([]);
  }, 90_000);
});
