// End-to-end: the Sample section as a newcomer meets it, in Chromium: the ideal model is the mixture drawn in Data, inputs are checked, costly runs ask first, a reload brings the model and its samples back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, sampleBoth, toLastStep, until, type OpenStudio } from './browser';
import { countNear, readCloud } from './pixels';

const WAIT = { timeout: 15_000 };
const SECTION = '[data-testid="section-sample"]';
const ODE = '[data-panel="ode"]';
const MIXTURE = 'oracle:gaussian-mixture';

describe('Sample section in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  /** Where the first component's mean was dragged to. */
  let moved: [number, number] = [NaN, NaN];

  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  const version = async () => Number(await attr(SECTION, 'data-version'));

  beforeAll(async () => {
    studio = await openStudio({ waitFor: '[data-dataset-id="two-moons"]', screenshotPrefix: 'sample-section-', fullPage: true });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('a mean dragged in the Data section is where the ideal model puts its samples', async () => {
    await page.locator('[data-dataset-id="gaussian-mixture"]').click();
    const handle = page.locator('.handle[data-component="0"]');
    await handle.waitFor(WAIT);
    const start = ((await handle.getAttribute('data-mean')) ?? '').split(',').map(Number);
    const box = await handle.boundingBox();
    if (!box) throw new Error('the handle has no box');
    // straight up, away from the other two components
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 14; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 16 * i);
    await page.mouse.up();
    moved = ((await handle.getAttribute('data-mean')) ?? '').split(',').map(Number) as [number, number];
    expect(moved[1] - start[1]).toBeGreaterThan(2.5);

    await page.locator('nav [data-section="sample"]').click();
    await page.locator(`#sample-model option[value="${MIXTURE}"]`).waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-model').selectOption(MIXTURE);
    expect(await page.locator(`#sample-model option[value="${MIXTURE}"]`).textContent()).toContain('as drawn in Data');
    await page.locator('#sample-steps').fill('20');
    await page.locator('#sample-count').fill('2000');
    await sampleBoth(page);
    expect(await attr(SECTION, 'data-compared')).toBe(MIXTURE);
    await toLastStep(page);
    const ink = await readCloud(page, ODE);
    const radius = 1; // two of the component's standard deviations (0.5)
    const atMoved = countNear(ink.points, ink.plot, moved, radius);
    const atStart = countNear(ink.points, ink.plot, [start[0], start[1]], radius);
    expect(await attr(ODE, 'data-point-count')).toBe('2000');
    // half the weight sits at the moved mean; nothing is left where it was
    expect(atMoved).toBeGreaterThan(200);
    expect(atMoved).toBeGreaterThan(20 * Math.max(1, atStart));
    await studio.shot('drawn-mixture');
  }, 60_000);

  it('an edit in the Data section is what the next sample uses', async () => {
    await page.locator('nav [data-section="data"]').click();
    const x = page.locator('[data-component-row="0"] input').first();
    await x.fill('2.5');
    await x.press('Tab');
    await until(page, `document.querySelector('.handle[data-component="0"]')?.getAttribute('data-mean')?.startsWith('2.5,')`);
    await page.locator('nav [data-section="sample"]').click();
    await sampleBoth(page);
    await toLastStep(page);
    const ink = await readCloud(page, ODE);
    expect(countNear(ink.points, ink.plot, [2.5, moved[1]], 1)).toBeGreaterThan(20 * Math.max(1, countNear(ink.points, ink.plot, moved, 0.6)));
    moved = [2.5, moved[1]];
  }, 60_000);

  it('each input that does not hold a usable value says why beside it, and nothing runs with the old value', async () => {
    const before = await version();
    await page.locator('#sample-steps').fill('-3');
    await expect.poll(() => page.locator('[data-field-error="steps"]').textContent()).toBe('Steps must be at least 1; -3 is below.');
    expect(await page.locator('#sample-steps').inputValue()).toBe('-3');
    expect(await page.locator('[data-testid="sample-run"]').isDisabled()).toBe(true);
    await page.locator('#sample-count').fill('50000000');
    expect(await page.locator('[data-field-error="count"]').textContent()).toBe('Particles can be at most 10,000 (every particle is kept at every step); 50,000,000 is above.');
    await page.locator('#sample-seed').fill('1.5');
    expect(await page.locator('[data-field-error="seed"]').textContent()).toBe('Seed must be a whole number from 0 to 2,147,483,648; 1.5 is not.');
    await page.locator('#sample-seed').fill('');
    expect(await page.locator('[data-field-error="seed"]').textContent()).toBe('Seed needs a value from 0 to 2,147,483,648.');
    // Enter in a field (the form's button is disabled), Enter outside one, Ctrl+Enter anywhere: refused with the reason
    await page.locator('#sample-count').press('Enter');
    await page.locator('h2', { hasText: 'Sample and compare' }).click();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="sample-error"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="sample-error"]').textContent()).toBe('Not sampled: Steps, Particles and Seed are not valid (see the message beside them).');
    await page.locator('#sample-count').press('Control+Enter');
    await page.waitForTimeout(300);
    expect(await version()).toBe(before);
    await studio.shot('invalid-inputs');

    await page.locator('#sample-steps').fill('12');
    await page.locator('#sample-count').fill('300');
    await page.locator('#sample-seed').fill('4');
    expect(await page.locator('[data-field-error]').count()).toBe(0);
    await sampleBoth(page);
    expect(await page.locator('[data-testid="step-label"]').textContent()).toMatch(/step\s+0\s+\/\s+12/);
    expect(await attr(ODE, 'data-point-count')).toBe('300');
    expect(await page.locator('[data-testid="sample-error"]').count()).toBe(0);
  }, 60_000);

  it('a costly run is said before it starts and waits for a go-ahead', async () => {
    // a model not measured yet: the work itself is weighed
    await page.locator('#sample-model').selectOption('oracle:eight-gaussians');
    await page.locator('#sample-steps').fill('500');
    await page.locator('#sample-count').fill('10000');
    expect(await page.locator('[data-testid="sample-cost-note"]').textContent()).toMatch(/^This run is costly: 5,000,000 particles × steps a panel, which may take a while/);
    const before = await version();
    await page.locator('[data-testid="sample-run"]').click();
    await page.locator('[data-testid="sample-cost-confirm"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="sample-cost-confirm"]').textContent()).toContain('Fewer particles or steps are quicker.');
    await page.waitForTimeout(300);
    expect(await version()).toBe(before);
    expect(await page.locator('[data-testid="sample-cancel"]').count()).toBe(0);
    await studio.shot('costly');
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.locator('[data-testid="sample-cost-confirm"]').waitFor({ state: 'detached', ...WAIT });
    await page.locator('#sample-steps').fill('20');
    await page.locator('#sample-count').fill('2000');
    expect(await page.locator('[data-testid="sample-cost-note"]').count()).toBe(0);
  }, 30_000);

  it('a reload brings back the chosen model with its settings and its samples, drawn where the mixture was drawn', async () => {
    await page.locator('#sample-model').selectOption(MIXTURE);
    await page.locator('#sample-steps').fill('16');
    await page.locator('#sample-count').fill('1500');
    await page.locator('#sample-seed').fill('11');
    await sampleBoth(page);
    await page.waitForTimeout(400); // the session is written a moment after the last change
    await page.reload(WAIT);
    await page.locator(`${SECTION}[data-compared="${MIXTURE}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('#sample-model').inputValue()).toBe(MIXTURE);
    expect(await page.locator('#sample-steps').inputValue()).toBe('16');
    expect(await page.locator('#sample-count').inputValue()).toBe('1500');
    expect(await page.locator('#sample-seed').inputValue()).toBe('11');
    expect(await attr(ODE, 'data-point-count')).toBe('1500');
    await toLastStep(page);
    const ink = await readCloud(page, ODE);
    expect(countNear(ink.points, ink.plot, moved, 1)).toBeGreaterThan(150);
    await studio.shot('reloaded');
  }, 60_000);

  it('logged no errors in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
