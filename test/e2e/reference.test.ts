// End-to-end: a formula hint's link lands on its reference anchor, '?' lists the shortcuts, and a reload restores the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { attributeIs, openStudio, until, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
const REFERENCE = '[data-testid="section-reference"]';
const SCHEDULE = '[data-testid="section-schedule"]';
const HELP = '[data-testid="shortcut-help"]';

describe('Math reference, formula hints, shortcuts and session restore in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1400, height: 900 }, waitFor: 'nav [data-section="reference"]', screenshotPrefix: 'reference-' });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it("opens the gamma slider's hint and its link lands on the gamma-family entry of the sampling page", async () => {
    await page.locator('nav [data-section="sample"]').click();
    const hint = page.locator('[data-hint="sampling/gamma-family"]');
    await hint.locator('[data-testid="formula-hint"]').click();
    const pop = hint.locator('[data-testid="formula-hint-pop"]');
    await pop.waitFor(WAIT);
    expect(await pop.textContent()).toMatch(/η.*=.*γ g/);
    await studio.shot('hint');
    await pop.locator('[data-testid="formula-hint-more"]').click();
    await until(page, attributeIs(REFERENCE, 'data-anchor', 'sampling/gamma-family'));
    expect(new URL(page.url()).hash).toBe('#reference/sampling/gamma-family');
    const entry = page.locator('#ref-sampling-gamma-family');
    expect(await entry.getAttribute('aria-current')).toBe('location');
    // Scrolled into view: the entry's top is inside the window.
    const box = await entry.boundingBox();
    expect(box && box.y >= 0 && box.y < 900).toBe(true);
    expect(await entry.locator('.formula sub').count()).toBeGreaterThan(0);
    await studio.shot('gamma-family');
  });

  it('filters the formulas and lists matches from every page', async () => {
    await page.locator('[data-testid="reference-filter"]').fill('sinkhorn');
    await until(page, `/formula/.test(document.querySelector('[data-testid="reference-hits"]')?.textContent ?? '')`);
    expect(await page.locator(`${REFERENCE} article`).count()).toBeGreaterThan(0);
    await studio.shot('filter');
    await page.locator('[data-testid="reference-filter"]').fill('');
  });

  it("'?' shows the shortcut list and Escape closes it; digits switch sections", async () => {
    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('?');
    await page.locator(HELP).waitFor(WAIT);
    expect(await page.locator(HELP).textContent()).toMatch(/Go to Schedule/);
    await studio.shot('shortcuts');
    await page.keyboard.press('Escape');
    await page.locator(HELP).waitFor({ state: 'detached', ...WAIT });
    await page.keyboard.press('2');
    await page.locator(SCHEDULE).waitFor(WAIT);
  });

  it('a reload without a hash reopens the same section, schedule preset and Train form', async () => {
    await page.locator('nav [data-section="train"]').click();
    await page.locator('#tf-steps').fill('777');
    await page.locator('#tf-steps').press('Tab');
    await page.locator('#tf-parameterisation').selectOption('eps');
    await page.locator('nav [data-section="schedule"]').click();
    await page.locator('[data-preset="vp-cosine"]').click();
    await until(page, attributeIs(SCHEDULE, 'data-schedule', 'vp-cosine'));
    // Drop the hash, so only the stored session can say where to go.
    await page.evaluate('history.replaceState(null, "", location.pathname + location.search)');
    await page.reload(WAIT);
    await page.locator(SCHEDULE).waitFor(WAIT);
    expect(await page.locator(SCHEDULE).getAttribute('data-schedule')).toBe('vp-cosine');
    expect(await page.locator('[data-preset="vp-cosine"]').getAttribute('aria-pressed')).toBe('true');
    await studio.shot('restored-schedule');
    await page.keyboard.press('3');
    await page.locator('#tf-steps').waitFor(WAIT);
    expect(await page.locator('#tf-steps').inputValue()).toBe('777');
    expect(await page.locator('#tf-parameterisation').inputValue()).toBe('eps');
    // The coupling hint follows the form's value (independent here).
    const coupling = page.locator('[data-hint="couplings/independent"]');
    await coupling.locator('[data-testid="formula-hint"]').hover();
    await coupling.locator('[data-testid="formula-hint-pop"]').waitFor(WAIT);
    await studio.shot('train-hint');
    expect(studio.pageErrors).toEqual([]);
  });
});
