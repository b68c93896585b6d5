// End-to-end: desktop notifications in Chromium: the toggle asks the browser once, then a real short run trained from the Train
// section ends in a notification naming it; without the toggle nothing is shown, and a browser that blocks them says where to allow them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, waitUntil, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
const TOGGLE = '[data-testid="notify-toggle"] input';

/**
 * Wraps the browser's Notification before the page loads: the permission and its request stay the browser's own, each
 * notification made is recorded (title, body) in window.shownNotes, and each permission request counted.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.shownNotes = [];
  window.permissionAsks = 0;
  class Recorded {
    constructor(title, options) { window.shownNotes.push({ title, body: options?.body ?? '' }); }
    static get permission() { return Real.permission; }
    static requestPermission() { window.permissionAsks++; return Real.requestPermission(); }
  }
  window.Notification = Recorded;
})()`;

const notes = (page: Page) => page.evaluate('window.shownNotes') as Promise<{ title: string; body: string }[]>;

describe('notifications when a run ends', () => {
  let studio: OpenStudio;
  let page: Page;

  /** Starts a short run from the Train form and waits until the page shows it completed; the run's name as the form gave it. */
  async function trainShortRun(): Promise<string> {
    await page.locator('nav [data-section="train"]').click();
    await page.locator('#tf-steps').fill('150');
    await page.locator('#tf-steps').press('Tab');
    const name = await page.locator('#tf-name').inputValue();
    const ids = () => page.locator('[data-testid="run-list"] [data-run-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''));
    const before = await ids();
    await page.getByTestId('train-start').click();
    await waitUntil('the new run in the list', async () => (await ids()).length > before.length, 30_000);
    const runId = (await ids()).find((id) => !before.includes(id))!;
    // the new run's own entry, not the controls: until the new run shows there, they still show the run before it
    const entry = page.locator(`[data-testid="run-list"] [data-run-id="${runId}"]`);
    await waitUntil('the run to end', async () => ['completed', 'failed', 'cancelled'].includes((await entry.getAttribute('data-run-status')) ?? ''), 120_000);
    expect(await entry.getAttribute('data-run-status')).toBe('completed');
    return name;
  }

  beforeAll(async () => {
    studio = await openStudio({ screenshotPrefix: 'notifications-' });
    page = studio.page;
    await studio.context.grantPermissions(['notifications'], { origin: new URL(studio.url).origin });
    await page.addInitScript(RECORD_NOTIFICATIONS);
    await page.goto(studio.url, WAIT);
    await page.locator('[data-dataset-id="two-moons"]').waitFor(WAIT);
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('shows nothing while the toggle is off', async () => {
    expect(await page.locator(TOGGLE).isChecked()).toBe(false);
    await trainShortRun();
    // the status event has reached the page (its list shows the run completed): a notification would have been made by now
    expect(await notes(page)).toEqual([]);
  }, 150_000);

  it('notifies of a finished run once the toggle is on, naming the run', async () => {
    await page.locator(TOGGLE).check();
    expect(await page.locator(TOGGLE).isChecked()).toBe(true);
    expect(await page.evaluate('window.permissionAsks')).toBe(0); // granted already: nothing to ask
    const name = await trainShortRun();
    await waitUntil('the notification', async () => (await notes(page)).length > 0, 10_000);
    const shown = await notes(page);
    expect(shown).toHaveLength(1);
    expect(shown[0].title).toBe('Training finished');
    expect(shown[0].body).toBe(`${name}: 150 steps trained.`);
    // the choice outlives a reload
    await page.reload(WAIT);
    await page.locator(TOGGLE).waitFor(WAIT);
    expect(await page.locator(TOGGLE).isChecked()).toBe(true);
    expect(studio.pageErrors).toEqual([]);
  }, 150_000);

  it('says where to allow notifications when the browser blocks them', async () => {
    const p = await studio.context.browser()!.newPage();
    try {
      // a fresh context has no permission granted; headless Chromium refuses the request, as a person's "Block" does
      await p.goto(studio.url, WAIT);
      await p.locator(TOGGLE).check();
      const note = p.locator('[data-testid="notify-note"]');
      await note.waitFor(WAIT);
      expect(await note.textContent()).toContain('allow them in the site settings');
      expect(await p.locator(TOGGLE).isChecked()).toBe(false);
    } finally {
      await p.close();
    }
  }, 30_000);
});
