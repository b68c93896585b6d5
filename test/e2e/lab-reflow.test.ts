// End-to-end: the Lab's reflow panel in Chromium: a flow and its rectified successors trained in the Lab's process, the 1-rectified flow's one-step samples
// smeared toward the centre and the reflowed ones on the ring (read back from the pixels), the quality chart, and a rerun with fewer rounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { inkOf, inkTopline, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio } from '../lab/lab-studio';
import { countInk, shareNear } from './pixels';

const PANEL = '[data-testid="lab-reflow"]';
const EVIDENCE = '[data-testid="lab-rf-evidence"]';
const colours = labColours('light');
/** The centres of eight Gaussians (radius 2). */
const modes = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((Math.PI * k) / 4), 2 * Math.sin((Math.PI * k) / 4)] as const);
const numbers = (s: string | null) => (s ?? '').split(',').map(Number);

/** The share of a flow's drawn samples that sit near the ring's modes. */
async function onModes(page: Page, f: number): Promise<{ share: number; ink: number }> {
  const pic = await readPlot(page, `[data-testid="lab-rf-samples-${f}"]`);
  const ink = inkOf(pic, colours.rectified[f], 50);
  return { share: shareNear(ink, pic.plot, modes, 0.6), ink: countInk(ink) };
}

describe('Lab: reflow, in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let version = 0;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-reflow-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/reflow'));
    await page.locator('[data-testid="section-lab"][data-panel="reflow"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('trains three flows: straighter after each reflow, and one Euler step lands on the ring only once reflowed', async () => {
    version = await landed(page, PANEL, 0, 90_000);
    await studio.shot('one-step');
    const evidence = page.locator(EVIDENCE);
    expect(Number(await evidence.getAttribute('data-flows'))).toBe(3);
    const s = numbers(await evidence.getAttribute('data-straightness'));
    const one = numbers(await evidence.getAttribute('data-one-step'));
    expect(s[1]).toBeLessThan(0.3 * s[0]);
    expect(one[1]).toBeLessThan(0.5 * one[0]);
    expect(await evidence.textContent()).toMatch(/Straightness goes from [\d.]+ \(1-rectified\) to [\d.e-]+ \(3-rectified\)/);
    // the pixels: one step of the 1-rectified flow smears the ring toward its centre, the 2- and 3-rectified put the samples on the modes
    const before = await onModes(page, 0);
    expect(before.ink).toBeGreaterThan(200);
    expect(before.share).toBeLessThan(0.45);
    for (const f of [1, 2]) {
      const after = await onModes(page, f);
      expect(after.ink).toBeGreaterThan(200);
      expect(after.share).toBeGreaterThan(0.6);
    }
    // every flow's paths are drawn in its colour
    for (let f = 0; f < 3; f++) {
      const pic = await readPlot(page, `[data-testid="lab-rf-paths-${f}"]`);
      expect(countInk(inkOf(pic, colours.rectified[f], 50))).toBeGreaterThan(300);
    }
    // the chart: at one step the 1-rectified flow's line stands far above the 2-rectified one's
    const chart = await readPlot(page, '[data-testid="lab-rf-quality"]');
    const at1 = (f: number) => {
      const top = inkTopline(inkOf(chart, colours.rectified[f], 40), chart);
      const ys = top.ys.filter((y, i) => Math.abs(top.xs[i] - 1) < 0.08 && Number.isFinite(y));
      return Math.max(...ys);
    };
    expect(at1(0)).toBeGreaterThan(2 * at1(1));
    expect(at1(0)).toBeCloseTo(one[0], 0);
  }, 120_000);

  it('draws eight-step samples on the ring for every flow, and reruns with one round', async () => {
    await page.locator('[data-testid="lab-rf-euler-8"]').check();
    await page.locator('[data-testid="lab-rf-samples-0"][data-steps="8"]').waitFor({ timeout: 5000 });
    await page.waitForTimeout(200);
    await studio.shot('eight-steps');
    for (let f = 0; f < 3; f++) expect((await onModes(page, f)).share).toBeGreaterThan(0.6);
    await page.locator('[data-testid="lab-rf-rounds-1"]').check();
    await landed(page, PANEL, version, 90_000);
    await studio.shot('one-round');
    expect(Number(await page.locator(EVIDENCE).getAttribute('data-flows'))).toBe(2);
    expect(await page.locator('[data-testid^="lab-rf-samples-"]').count()).toBe(2);
    expect(await page.locator(EVIDENCE).textContent()).toMatch(/\(2-rectified\)/);
    expect(studio.pageErrors).toEqual([]);
  }, 120_000);
});
