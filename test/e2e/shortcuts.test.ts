// End-to-end: keyboard shortcuts in Chromium: the help list comes from the one registry (Sample's keys included), section keys work wherever the focus is but in text fields, and the gamma slider keeps the focus while it re-samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, sampleBoth, waitUntil, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
const HELP = '[data-testid="shortcut-help"]';
const SECTION = '[data-testid="section-sample"]';
const PLAY = '[data-testid="play-toggle"]';

describe('keyboard shortcuts in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  const version = async () => Number(await page.locator(SECTION).getAttribute('data-version'));
  const focused = () => page.evaluate('document.activeElement?.id ?? ""') as Promise<string>;
  /** The help list's rows of one group as 'keys: description'. */
  const rows = (group: string) =>
    page.locator(`${HELP} [data-group="${group}"] dt`).evaluateAll((dts) => dts.map((dt) => `${[...dt.querySelectorAll('kbd')].map((k) => k.getAttribute('title')).join('+')}: ${dt.nextElementSibling?.textContent ?? ''}`));

  beforeAll(async () => {
    studio = await openStudio({ waitFor: '[data-dataset-id="two-moons"]', screenshotPrefix: 'shortcuts-' });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it("'?' lists every key the registry holds, Sample's included, from any section", async () => {
    await page.locator('h2', { hasText: 'Data' }).click();
    await page.keyboard.press('?');
    await page.locator(HELP).waitFor(WAIT);
    expect(await rows('Sample')).toEqual([
      'Space: Play or pause the steps',
      'ArrowRight: One step forward (a focused slider moves itself)',
      'ArrowLeft: One step back (a focused slider moves itself)',
      'Enter: Sample both panels from the same noise',
      'Ctrl+Enter: Sample both panels, also from a field',
    ]);
    expect(await rows('Sections')).toContain('4: Go to Sample');
    expect(await rows('Help')).toEqual(['?: Show or hide this list', 'Escape: Close this list']);
    await studio.shot('help');
    await page.keyboard.press('Escape');
    await page.locator(HELP).waitFor({ state: 'detached', ...WAIT });
  });

  it('the gamma slider keeps the focus while it re-samples: each arrow press moves it a notch and samples again', async () => {
    await page.keyboard.press('4');
    await page.locator(SECTION).waitFor(WAIT);
    await page.locator('#sample-model option').first().waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-steps').fill('20');
    await page.locator('#sample-count').fill('1000');
    await sampleBoth(page);
    await page.locator('#gamma').focus();
    for (const expected of ['0.95', '0.9', '0.85']) {
      const before = await version();
      await page.keyboard.press('ArrowDown');
      // the press lands while the studio samples, and the slider keeps the focus throughout
      expect(await page.locator('#gamma').inputValue()).toBe(expected);
      await waitUntil(`the samples for gamma ${expected}`, async () => (await version()) > before, 30_000);
      expect(await focused()).toBe('gamma');
    }
    expect(await page.locator(SECTION).getByText('γ = 0.85').count()).toBeGreaterThan(0);
    // a press while the studio is still sampling moves the slider too
    const before = await version();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#gamma').inputValue()).toBe('0.75');
    await waitUntil('the samples for gamma 0.75', async () => (await page.locator(`${SECTION} .panel-head h3 .muted`).textContent()) === 'γ = 0.75' && (await version()) > before, 30_000);
    expect(await focused()).toBe('gamma');
  }, 90_000);

  it("the section's keys work with the focus on a button or outside the section, not in a text field", async () => {
    // in a field keys are typing
    await page.locator('#step-slider').fill('5');
    await page.locator('#sample-seed').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.waitForTimeout(200);
    expect(await page.locator('[data-testid="step-label"] strong').textContent()).toBe('5');
    expect(await page.locator(`${PLAY}[aria-label="Play"]`).count()).toBe(1);
    // focus on a button of the navigation, outside the section: arrows step, Space plays and pauses
    await page.locator('nav [data-section="sample"]').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('[data-testid="step-label"] strong').textContent()).toBe('6');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('[data-testid="step-label"] strong').textContent()).toBe('4');
    await page.keyboard.press('Space');
    await page.locator(`${PLAY}[aria-label="Pause"]`).waitFor(WAIT);
    await page.keyboard.press('Space');
    await page.locator(`${PLAY}[aria-label="Play"]`).waitFor(WAIT);
    expect(await page.locator(SECTION).isVisible()).toBe(true);
    // focus on the Sample button: Space plays, it does not click the button
    const before = await version();
    await page.locator('[data-testid="sample-run"]').focus();
    await page.keyboard.press('Space');
    await page.locator(`${PLAY}[aria-label="Pause"]`).waitFor(WAIT);
    await page.keyboard.press('Space');
    await page.locator(`${PLAY}[aria-label="Play"]`).waitFor(WAIT);
    await page.waitForTimeout(300);
    expect(await version()).toBe(before);
    expect(await page.locator('[data-testid="sample-cancel"]').count()).toBe(0);
  }, 30_000);

  it('logged no errors in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
