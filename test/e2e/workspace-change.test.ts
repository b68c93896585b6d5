// End-to-end: the studio server moved to another workspace folder from the page in Chromium: the sidebar names the folder,
// the form refuses a path it cannot use in the studio's words, and a change reloads the page on the new folder's data.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, serverProcess, type OpenStudio, type StudioServer } from './browser';

const WAIT = { timeout: 20_000 };
const PATH = '[data-testid="workspace-path"]';
const DIALOG = '[data-testid="workspace-dialog"]';
const SAVED = '[data-testid="import-saved-list"]';

describe('changing the workspace from the page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-ws-change-'));
  const csv = join(dir, 'points.csv');
  const next = join(dir, 'second workspace');
  let studio: OpenStudio<StudioServer>;
  let page: Page;
  let first: string;

  /** Opens the form, types a folder and asks for it. */
  async function change(path: string): Promise<void> {
    await page.getByRole('button', { name: 'Change…' }).click();
    await page.locator(DIALOG).waitFor({ state: 'visible', ...WAIT });
    await page.locator('[data-testid="workspace-input"]').fill(path);
    await page.getByRole('button', { name: 'Open folder' }).click();
  }

  beforeAll(async () => {
    writeFileSync(csv, ['x,y', ...Array.from({ length: 12 }, (_, i) => `${i},${i % 3}`)].join('\n'));
    // the CSV opens in the Data import at start, to be saved in the first workspace
    studio = await openStudio({
      studio: serverProcess([csv]),
      waitFor: '[data-point-count="12"]',
      screenshotPrefix: 'workspace-change-',
    });
    page = studio.page;
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('names the folder the studio works in, in the sidebar', async () => {
    first = (await page.locator(PATH).textContent()) ?? '';
    expect(first).toMatch(/studio-attack-/);
    expect(statSync(first).isDirectory()).toBe(true);
    await page.locator('[data-testid="import-save"]').getByRole('button', { name: 'Save' }).click();
    await page.locator(`${SAVED} li`, { hasText: 'points' }).waitFor(WAIT);
  });

  it('refuses a relative path and a file in the way, keeping the form open and the folder as it was', async () => {
    await change('my data');
    const error = page.locator('[data-testid="workspace-error"]');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toBe("my data cannot be the workspace: give the folder's full path on the studio's machine");
    await page.locator('[data-testid="workspace-input"]').fill(csv);
    await page.getByRole('button', { name: 'Open folder' }).click();
    await page.locator('[data-testid="workspace-error"]', { hasText: 'a file is in the way' }).waitFor(WAIT);
    await studio.shot('refused');
    await page.locator(DIALOG).getByRole('button', { name: 'Cancel' }).click();
    await page.locator(DIALOG).waitFor({ state: 'hidden', ...WAIT });
    expect(await page.locator(PATH).textContent()).toBe(first);
  });

  it('moves to a new folder (made for it): the page reloads on it, with none of the first folder’s sets', async () => {
    await change(next);
    await page.locator(PATH, { hasText: next }).waitFor(WAIT);
    expect(statSync(next).isDirectory()).toBe(true);
    await page.locator('nav [data-section="data"]').click();
    await page.getByRole('tab', { name: /import/i }).click();
    await page.locator(SAVED, { hasText: 'Nothing saved yet.' }).waitFor(WAIT);
    expect(existsSync(join(next, 'datasets'))).toBe(false);
    await studio.shot('moved');
  });

  it('moves back: the first folder’s saved set is there again', async () => {
    await change(first);
    await page.locator(PATH, { hasText: first }).waitFor(WAIT);
    await page.getByRole('tab', { name: /import/i }).click();
    await page.locator(`${SAVED} li`, { hasText: 'points' }).waitFor(WAIT);
    expect(studio.pageErrors).toEqual([]);
  });
});
