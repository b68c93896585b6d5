// End-to-end: the Lab's why-flow-matching panel in Chromium: under the same steps the CNF pays its solver's NFE in seconds while both lower the held-out NLL,
// the curves and samples drawn (read back from the pixels); under the same seconds flow matching takes far more steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { datasetMixture } from '../../src-core/data';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { inkOf, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio } from '../lab/lab-studio';
import { countInk, shareNear, type Mask } from './pixels';

const PANEL = '[data-testid="lab-why-flow-matching"]';
const EVIDENCE = '[data-testid="lab-wfm-evidence"]';
const colours = labColours('light');
const means = datasetMixture('eight-gaussians')!.means.map((m) => [m[0], m[1]] as const);

/** The evidence line's numbers. */
async function evidence(page: Page): Promise<Record<string, number>> {
  const names = ['cnf-nll', 'fm-nll', 'start-nll', 'exact-nll', 'cnf-steps', 'fm-steps', 'cnf-seconds', 'fm-seconds', 'cnf-nfe', 'fm-nfe'];
  const out: Record<string, number> = {};
  for (const n of names) out[n] = Number(await page.locator(EVIDENCE).getAttribute(`data-${n}`));
  return out;
}

describe('Lab: why flow matching, in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let version = 0;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-why-flow-matching-' });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'lab/why-flow-matching'));
    await page.locator('[data-testid="section-lab"][data-panel="why-flow-matching"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('under the same steps: the CNF costs its solver NFE per step, both lower the held-out NLL, and the pictures show it', async () => {
    version = await landed(page, PANEL, 0, 90_000);
    await studio.shot('same-steps');
    const e = await evidence(page);
    console.info(`same steps: ${JSON.stringify(e)}`);
    // RK4 (4 stages) x 3 steps x d = 2 vector–Jacobian products against one evaluation
    expect(e['cnf-nfe']).toBe(24);
    expect(e['fm-nfe']).toBe(1);
    expect(e['cnf-steps']).toBe(100);
    expect(e['fm-steps']).toBe(100);
    expect(e['cnf-seconds']).toBeGreaterThan(5 * e['fm-seconds']);
    expect(e['cnf-nll']).toBeLessThan(e['start-nll'] - 0.5);
    expect(e['fm-nll']).toBeLessThan(e['start-nll']);
    for (const k of ['cnf-nll', 'fm-nll']) expect(e[k]).toBeGreaterThan(e['exact-nll'] - 0.1);

    const nll = await readPlot(page, '[data-testid="lab-wfm-nll"]');
    expect(countInk(inkOf(nll, colours.cnf))).toBeGreaterThan(100);
    expect(countInk(inkOf(nll, colours.fm))).toBeGreaterThan(100);
    for (const name of ['cnf', 'fm']) {
      const loss = await readPlot(page, `[data-testid="lab-wfm-loss-${name}"]`);
      expect(countInk(inkOf(loss, colours[name as 'cnf' | 'fm']))).toBeGreaterThan(100);
    }
    // the held-out data sit on the eight modes; the CNF's samples, pushed from N(0, I), have moved out towards the ring
    const data = await readPlot(page, '[data-testid="lab-wfm-samples-data"]');
    const dataInk = inkOf(data, colours.exact, 60);
    expect(countInk(dataInk)).toBeGreaterThan(200);
    expect(shareNear(dataInk, data.plot, means, 0.6)).toBeGreaterThan(0.95);
    const cnf = await readPlot(page, '[data-testid="lab-wfm-samples-cnf"]');
    const cnfInk = inkOf(cnf, colours.cnf, 60);
    expect(countInk(cnfInk)).toBeGreaterThan(200);
    expect(meanRadius(cnfInk, cnf)).toBeGreaterThan(1.5);
    expect(studio.pageErrors).toEqual([]);
  }, 120_000);

  it('under the same seconds: flow matching takes far more steps in the time the CNF takes a few', async () => {
    await page.locator('[data-testid="lab-wfm-budget-seconds"]').check();
    version = await landed(page, PANEL, version, 90_000);
    await studio.shot('same-seconds');
    const e = await evidence(page);
    console.info(`same seconds: ${JSON.stringify(e)}`);
    expect(await page.locator(EVIDENCE).getAttribute('data-budget')).toBe('seconds');
    for (const k of ['cnf-seconds', 'fm-seconds']) {
      expect(e[k]).toBeGreaterThanOrEqual(4);
      expect(e[k]).toBeLessThan(5);
    }
    expect(e['fm-steps']).toBeGreaterThan(5 * e['cnf-steps']);
    expect(e['fm-nll']).toBeLessThan(e['start-nll'] - 0.5);
    const fm = await readPlot(page, '[data-testid="lab-wfm-samples-fm"]');
    const fmInk = inkOf(fm, colours.fm, 60);
    expect(countInk(fmInk)).toBeGreaterThan(200);
    expect(meanRadius(fmInk, fm)).toBeGreaterThan(1.5);
    expect(studio.pageErrors).toEqual([]);
  }, 120_000);
});

/** Mean distance from the origin of the ink, in data units (N(0, I) noise gives about 1.25, the ring of eight Gaussians 2). */
function meanRadius(mask: Mask, p: Awaited<ReturnType<typeof readPlot>>): number {
  const e = p.plot.extent!;
  let sum = 0;
  let count = 0;
  for (let py = p.plot.y0; py < p.plot.y1; py++) {
    for (let px = p.plot.x0; px < p.plot.x1; px++) {
      if (!mask.on[py * mask.width + px]) continue;
      const x = e.xMin + ((px + 0.5 - p.plot.x0) / (p.plot.x1 - p.plot.x0)) * (e.xMax - e.xMin);
      const y = e.yMax - ((py + 0.5 - p.plot.y0) / (p.plot.y1 - p.plot.y0)) * (e.yMax - e.yMin);
      sum += Math.hypot(x, y);
      count++;
    }
  }
  return sum / count;
}
