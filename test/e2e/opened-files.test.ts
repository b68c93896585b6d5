// End-to-end: the studio server started with files on its command line (as `npm start -- model.onnx data.csv` does): the page
// opens each where a drop would take it, a model in Sample (sampled here) and data in the Data import, and says why it refused the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, serverProcess, sampleBoth, type OpenStudio, type StudioServer } from './browser';
import { seededModelBytes } from './seeded-model';

const WAIT = { timeout: 20_000 };
const NOTICE = '[data-testid="drop-notice"]';

describe('files named when the studio starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-opened-'));
  const model = join(dir, 'trained net.onnx');
  const csv = join(dir, 'points.csv');
  let studio: OpenStudio<StudioServer>;
  let page: Page;

  beforeAll(async () => {
    writeFileSync(model, seededModelBytes());
    writeFileSync(csv, ['x,y', ...Array.from({ length: 30 }, (_, i) => `${i / 10},${(i * i) % 5}`)].join('\n'));
    writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4');
    studio = await openStudio({
      studio: serverProcess([model, csv, join(dir, 'missing.npy'), join(dir, 'notes.pdf')]),
      waitFor: '[data-testid="section-data"]',
      screenshotPrefix: 'opened-files-',
    });
    page = studio.page;
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('previews the data file in the Data import, the last file named, and notes the two it could not open', async () => {
    await page.locator('[data-point-count="30"]').waitFor(WAIT);
    expect(await page.locator('[data-mode="import"]').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[30 × 2]');
    expect(await page.locator('[data-testid="section-data"]').textContent()).toContain('points.csv');
    const notice = page.locator(NOTICE);
    await notice.waitFor(WAIT);
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toContain(`missing.npy cannot be opened: there is no file at ${join(dir, 'missing.npy')}.`);
    expect(await notice.textContent()).toContain('notes.pdf cannot be opened here: the studio opens .onnx, .npy, .csv');
    await studio.shot('data');
  });

  it('has the model open in Sample, read where it lies, and samples it', async () => {
    await page.locator('nav [data-section="sample"]').click();
    const key = `onnx:${model}`;
    const option = page.locator(`#sample-model option[value="${key}"]`);
    await option.waitFor({ state: 'attached', ...WAIT });
    expect(await option.textContent()).toContain('Opened file: trained net.onnx');
    await expect.poll(() => page.locator('#sample-model').inputValue(), WAIT).toBe(key);
    await page.locator('#sample-steps').fill('8');
    await page.locator('#sample-count').fill('200');
    await sampleBoth(page, key);
    expect(await page.locator('[data-panel="ode"]').getAttribute('data-point-count')).toBe('200');
    await studio.shot('model');
  }, 60_000);

  it('opens them once: a reload does not open them again', async () => {
    await page.locator(NOTICE).getByRole('button', { name: 'Dismiss' }).click();
    await page.reload();
    await page.locator('#sample-model').waitFor(WAIT);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.locator(NOTICE).count()).toBe(0);
    expect(await page.locator(`#sample-model option[value="onnx:${model}"]`).count()).toBe(0);
    expect(studio.pageErrors).toEqual([]);
  });
});
