// End-to-end: every sampler is offered in the Sample section under its kind, in Chromium; annealed Langevin and predictor–corrector are picked, their snr and corrector steps typed, and the samples they draw are read off the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { samplers } from '../../src-core/sampling';
import { openStudio, sampleBoth, sectionUrl, toLastStep, type OpenStudio } from './browser';
import { readCloud, shareNear } from './pixels';

const WAIT = { timeout: 15_000 };
const SDE = '[data-panel="sde"]';
const STEPS = 40;
const COUNT = 1000;
/** The ideal model of the eight Gaussians as the Data section makes it: radius 2, each cluster of std 0.1. */
const CENTRES = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((k * Math.PI) / 4), 2 * Math.sin((k * Math.PI) / 4)] as const);

describe('every sampler and its options in the Sample section', () => {
  let studio: OpenStudio;
  let page: Page;

  /** What the right panel's head says: its title, and its sampler with the evaluations it took. */
  const heading = async () => ({
    title: (await page.locator(`.panel:has(${SDE}) .panel-head > h3`).textContent())?.trim(),
    sampler: (await page.locator(`.panel:has(${SDE}) .panel-head > span`).textContent())?.trim(),
  });
  /** Share of the right panel's ink within 0.5 of a cluster centre, at the scrubber's first and last step. */
  async function nearCentres(): Promise<{ start: number; end: number }> {
    await page.locator('#step-slider').fill('0');
    await page.locator(`${SDE}[data-step="0"]`).waitFor(WAIT);
    const first = await readCloud(page, SDE);
    await toLastStep(page);
    await page.locator(`${SDE}[data-step="${STEPS}"]`).waitFor(WAIT);
    const last = await readCloud(page, SDE);
    return { start: shareNear(first.points, first.plot, CENTRES, 0.5), end: shareNear(last.points, last.plot, CENTRES, 0.5) };
  }

  beforeAll(async () => {
    studio = await openStudio({ screenshotPrefix: 'sample-samplers-', fullPage: true });
    page = studio.page;
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await page.locator('#sample-model option[value="oracle:eight-gaussians"]').waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-model').selectOption('oracle:eight-gaussians');
    await page.locator('#sample-steps').fill(String(STEPS));
    await page.locator('#sample-count').fill(String(COUNT));
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('offers every registered sampler once, under its kind', async () => {
    await page.locator('#sample-sde option[value="annealed-langevin"]').waitFor({ ...WAIT, state: 'attached' });
    // a page script as text: this file is type-checked without the DOM library
    const offered = await page.evaluate<string[]>(`[...document.querySelectorAll('#sample-ode option, #sample-sde option')].map((o) => o.parentElement.label + ': ' + o.value)`);
    expect(offered.map((o) => o.split(': ')[1]).sort()).toEqual([...samplers.names()].sort());
    const groupOf = (name: string) => offered.find((o) => o.endsWith(`: ${name}`))?.split(': ')[0];
    expect([groupOf('heun'), groupOf('dopri5'), groupOf('euler-maruyama'), groupOf('ddpm'), groupOf('annealed-langevin')]).toEqual(['ODE', 'ODE, adaptive steps', 'SDE', 'Ancestral', 'Langevin']);
  });

  it('annealed Langevin takes the snr and corrector steps typed, and draws its particles onto the clusters', async () => {
    await page.locator('#sample-sde').selectOption('annealed-langevin');
    // the fields come from the studio's list, showing its defaults and ranges
    await expect.poll(() => page.locator('#sample-sde-snr').inputValue()).toBe('0.16');
    expect(await page.locator('#sample-sde-correctorSteps').inputValue()).toBe('5');
    expect(await page.locator('#sample-sde-correctorSteps-range').textContent()).toBe('whole, 1 to 100; default 5');
    expect(await page.locator('#sample-sde-gamma').count()).toBe(0);
    // gamma does not drive it: the slider gives way to a line saying so
    expect(await page.locator('[data-testid="gamma-slider"]').count()).toBe(0);
    expect(await page.locator('[data-testid="gamma-unused"]').textContent()).toBe('γ does not drive Annealed Langevin dynamics');
    await page.locator('#sample-sde-snr').fill('0.2');
    await page.locator('#sample-sde-correctorSteps').fill('3');
    await sampleBoth(page, 'oracle:eight-gaussians');
    expect(await page.locator(SDE).getAttribute('data-point-count')).toBe(String(COUNT));
    // 3 Langevin steps at each level after the first, none at t = 0 where sigma = 0 (no score there), one more for the last x0
    expect(await heading()).toEqual({ title: 'Langevin', sampler: `Annealed Langevin dynamics · NFE ${(STEPS - 1) * 3 + 1}` });
    const { start, end } = await nearCentres();
    expect(end).toBeGreaterThan(2 * start);
    await studio.shot('annealed-langevin');
  }, 90_000);

  it('predictor–corrector: a value out of range is said beside its field and nothing runs; in range, the samples land on the clusters', async () => {
    await page.locator('#sample-sde').selectOption('pc');
    await expect.poll(() => page.locator('#sample-sde-correctorSteps').inputValue()).toBe('1');
    // its predictor is the gamma family's, so the slider is back
    expect(await page.locator('[data-testid="gamma-slider"]').count()).toBe(1);
    expect(await page.locator('[data-testid="gamma-unused"]').count()).toBe(0);
    expect(await page.locator('#sample-sde-snr').inputValue()).toBe('0.16'); // its own default: the 0.2 typed stays with annealed Langevin
    await page.locator('#sample-sde-snr').fill('5');
    await expect.poll(() => page.locator('[data-field-error="pc.snr"]').textContent()).toBe('Langevin snr r can be at most 1; 5 is above.');
    expect(await page.locator('[data-testid="sample-run"]').isDisabled()).toBe(true);
    await page.locator('#sample-sde-snr').fill('0.16');
    await page.locator('#sample-sde-correctorSteps').fill('2');
    await sampleBoth(page, 'oracle:eight-gaussians');
    // one predictor step each, 2 corrector steps at each new level but t = 0, one more for the last x0
    expect(await heading()).toEqual({ title: 'Reverse SDE γ = 1.00', sampler: `Predictor–corrector · NFE ${STEPS + (STEPS - 1) * 2 + 1}` });
    const { end } = await nearCentres();
    expect(end).toBeGreaterThan(0.9);
    await studio.shot('predictor-corrector');
  }, 90_000);

  it('the typed options come back with the page, as the other Sample fields do', async () => {
    await page.reload(WAIT);
    await page.locator('#sample-sde-correctorSteps').waitFor(WAIT);
    expect(await page.locator('#sample-sde').inputValue()).toBe('pc');
    expect(await page.locator('#sample-sde-correctorSteps').inputValue()).toBe('2');
    await page.locator('#sample-sde').selectOption('annealed-langevin');
    await expect.poll(() => page.locator('#sample-sde-correctorSteps').inputValue()).toBe('3');
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
