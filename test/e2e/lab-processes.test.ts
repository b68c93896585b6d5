// End-to-end: the Lab's Processes panel in Chromium, computed in the Lab's process: OU paths and their histogram over the exact marginal (read back
// from the pixels as the scrubber moves), the KS evidence line, a changed control computing again, and the forward SDE noising the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { inkCentroid, inkOf, inkPeak, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio, setRange } from '../lab/lab-studio';
import { generateDataset } from '../../src-core/data';
import { countInk, shareNear } from './pixels';

const PATHS = '[data-testid="lab-process-paths"]';
const HIST = '[data-testid="lab-histogram-chart"]';
const NOISING = '[data-testid="lab-forward-noising"]';
const colours = labColours('light');

describe('Lab: Processes panel in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-processes-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/processes'));
    await page.locator('[data-testid="section-lab"][data-panel="processes"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  /** The histogram at the scrubber's time: the exact curve's peak and the bars' centroid, against the marginal the page names. */
  async function histogramAgainstExact(): Promise<{ mean: number; std: number; peak: number; centroid: number; bars: number; curve: number }> {
    const hist = await readPlot(page, HIST);
    const mean = Number(await page.locator(HIST).getAttribute('data-mean'));
    const std = Number(await page.locator(HIST).getAttribute('data-std'));
    const curve = inkOf(hist, colours.exact);
    const bars = inkOf(hist, colours.particles, 60);
    return { mean, std, peak: inkPeak(curve, hist).x, centroid: inkCentroid(bars, hist).x, bars: countInk(bars), curve: countInk(curve) };
  }

  it('draws OU paths and, at the scrubbed t, their histogram over the exact Gaussian marginal', async () => {
    await landed(page, PATHS, 0);
    const scrub = page.locator('[data-testid="lab-scrub"]');
    const last = Number(await scrub.getAttribute('max'));
    expect(last).toBe(300);
    // early: x0 = 2 pulled toward 0 at rate theta = 1, the marginal still narrow
    await setRange(page, '[data-testid="lab-scrub"]', 30);
    await studio.shot('early');
    const early = await histogramAgainstExact();
    expect(early.mean).toBeCloseTo(2 * Math.exp(-0.3), 2);
    expect(early.curve).toBeGreaterThan(100);
    expect(early.bars).toBeGreaterThan(500);
    const bin = (6 * 1) / 40; // the histogram's bins are about 8 sd of the widest marginal / 40
    expect(Math.abs(early.peak - early.mean)).toBeLessThan(bin);
    expect(Math.abs(early.centroid - early.mean)).toBeLessThan(0.25 * early.std + bin);
    // late: near the stationary N(0, 1/2)
    await setRange(page, '[data-testid="lab-scrub"]', last);
    await studio.shot('late');
    const late = await histogramAgainstExact();
    expect(late.mean).toBeCloseTo(2 * Math.exp(-3), 2);
    expect(late.std).toBeCloseTo(Math.sqrt((1 - Math.exp(-6)) / 2), 3);
    expect(Math.abs(late.peak - late.mean)).toBeLessThan(bin);
    expect(Math.abs(late.centroid - late.mean)).toBeLessThan(0.25 * late.std + bin);
    expect(early.centroid - late.centroid).toBeGreaterThan(1);
    const paths = await readPlot(page, '[data-testid="lab-paths-chart"]');
    expect(countInk(inkOf(paths, colours.particles, 60))).toBeGreaterThan(2000);
    expect(countInk(inkOf(paths, colours.exact))).toBeGreaterThan(300);
  }, 60_000);

  it('says how far the histogram is from the exact law in KS distance, and computes again when a control moves', async () => {
    const evidence = page.locator('[data-testid="lab-evidence"]');
    expect(await evidence.textContent()).toMatch(/KS distance .*p =.*5% critical value 0\.0\d\d/s);
    const p = Number(await evidence.getAttribute('data-p'));
    expect(p).toBeGreaterThan(0.001);
    const before = Number(await page.locator(PATHS).getAttribute('data-version'));
    await page.locator('[data-testid="lab-process-brownian"]').check();
    await landed(page, PATHS, before);
    await setRange(page, '[data-testid="lab-scrub"]', 300);
    const brown = await histogramAgainstExact();
    // Brownian motion from x0 = 2 with sigma = 1: N(2, 3) at t = 3
    expect(brown.mean).toBeCloseTo(2, 6);
    expect(brown.std).toBeCloseTo(Math.sqrt(3), 6);
    expect(Math.abs(brown.centroid - 2)).toBeLessThan(0.25 * brown.std + 0.4);
    await studio.shot('brownian');
  }, 60_000);

  it("noises the Data section's set with the forward SDE: the data at t = 0, N(0, I) at t = 1, residuals checked", async () => {
    await landed(page, NOISING, 0);
    const chart = '[data-testid="lab-noising-chart"]';
    await setRange(page, '[data-testid="lab-noising-scrub"]', 0);
    const start = await readPlot(page, chart);
    const startInk = inkOf(start, colours.particles, 60);
    await setRange(page, '[data-testid="lab-noising-scrub"]', 40);
    await studio.shot('noised');
    const end = await readPlot(page, chart);
    const endInk = inkOf(end, colours.particles, 60);
    expect(countInk(startInk)).toBeGreaterThan(300);
    // at t = 0 the cloud is the data set the computation drew (two moons, 1,000 points, seed 0); at the end ('linear' stops
    // at t = 0.999) it is N(0, I), centred on the origin
    const data = generateDataset('two-moons', { count: 1000, seed: 0 }).data;
    const points = Array.from({ length: 1000 }, (_, i) => [data[2 * i], data[2 * i + 1]] as const);
    const r = 0.05 * (start.plot.extent!.xMax - start.plot.extent!.xMin);
    expect(shareNear(startInk, start.plot, points, r)).toBeGreaterThan(0.97);
    expect(shareNear(endInk, end.plot, points, r)).toBeLessThan(0.85);
    const c1 = inkCentroid(endInk, end);
    expect(Math.hypot(c1.x, c1.y)).toBeLessThan(0.25);
    const text = await page.locator('[data-testid="lab-noising-evidence"]').textContent();
    expect(text).toMatch(/residuals .* KS distance 0\.\d+ from N\(0, 1\)/s);
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
