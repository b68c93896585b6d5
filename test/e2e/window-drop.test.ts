// End-to-end: files dropped anywhere on the window in Chromium: a CSV goes to the Data import as if picked there, an .onnx
// model opens in Sample (sent through the API, kept in the workspace) and samples, anything else is refused in the studio's words.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, sampleBoth, type OpenStudio } from './browser';
import { seededModelBytes } from './seeded-model';

const WAIT = { timeout: 15_000 };
const NOTICE = '[data-testid="drop-notice"]';
const CSV = ['x,y', ...Array.from({ length: 25 }, (_, i) => `${i / 10},${(i * i) % 7}`)].join('\n');

/** Drops files on the element as a person's drag would end there: dragenter, dragover, then drop, all with one DataTransfer. */
async function drop(page: Page, selector: string, files: { name: string; type: string; bytes: number[] }[]): Promise<void> {
  // the page builds the DataTransfer (the test's own code runs under Node, without the DOM's types)
  const transfer = await page.evaluateHandle(`(() => {
    const t = new DataTransfer();
    for (const f of ${JSON.stringify(files)}) t.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return t;
  })()`);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(selector, type, { dataTransfer: transfer });
}

const text = (name: string, body: string, type = 'text/plain') => ({ name, type, bytes: [...Buffer.from(body)] });

describe('files dropped on the window', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ waitFor: '[data-dataset-id="two-moons"]', screenshotPrefix: 'window-drop-' });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('shows what a drop does while files are dragged over the window', async () => {
    await page.locator('nav [data-section="train"]').click();
    const transfer = await page.evaluateHandle(`(() => {
      const t = new DataTransfer();
      t.items.add(new File(['x'], 'a.csv'));
      return t;
    })()`);
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    expect(await page.locator('[data-testid="drop-veil"]').textContent()).toContain('an .onnx model to open it in Sample');
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    await page.locator('[data-testid="drop-veil"]').waitFor({ state: 'detached', ...WAIT });
  });

  it('takes a CSV dropped on another section into the Data import, previewed as if picked there', async () => {
    await page.locator('nav [data-section="train"]').click();
    await page.locator('[data-testid="section-data"]').waitFor({ state: 'detached', ...WAIT });
    await drop(page, 'main', [text('dropped.csv', CSV, 'text/csv')]);
    await page.locator('[data-testid="section-data"]').waitFor(WAIT);
    expect(await page.locator('[data-mode="import"]').getAttribute('aria-selected')).toBe('true');
    await page.locator('[data-point-count="25"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[25 × 2]');
    expect(await page.locator(NOTICE).count()).toBe(0);
    await studio.shot('csv');
  });

  it('refuses a file the studio cannot open, naming it and saying what it takes', async () => {
    await drop(page, 'main', [text('notes.pdf', '%PDF-1.4')]);
    const notice = page.locator(NOTICE);
    await notice.waitFor(WAIT);
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toContain('The studio cannot open notes.pdf: it imports .csv, .tsv, .json and .npy data files and PNG/JPEG images, and opens .onnx models in Sample.');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached', ...WAIT });
  });

  it('opens a dropped .onnx model in Sample, keeps it in the workspace, and samples it', async () => {
    const bytes = seededModelBytes();
    await page.locator('nav [data-section="data"]').click();
    await drop(page, 'main', [{ name: 'my net.onnx', type: 'application/octet-stream', bytes: [...bytes] }]);
    const kept = join(studio.served.workspace, 'models', 'my net.onnx');
    const key = `onnx:${kept}`;
    const option = page.locator(`#sample-model option[value="${key}"]`);
    await option.waitFor({ state: 'attached', ...WAIT });
    expect(await option.textContent()).toContain('Opened file: my net.onnx');
    await expect.poll(() => page.locator('#sample-model').inputValue(), WAIT).toBe(key);
    expect(existsSync(kept) && new Uint8Array(readFileSync(kept))).toEqual(bytes);
    await page.locator('#sample-steps').fill('8');
    await page.locator('#sample-count').fill('200');
    await sampleBoth(page, key);
    expect(await page.locator('[data-panel="ode"]').getAttribute('data-point-count')).toBe('200');
    expect(await page.locator(NOTICE).count()).toBe(0);
    await studio.shot('onnx');
  }, 60_000);

  it('says why a dropped .onnx file cannot be sampled', async () => {
    await drop(page, 'main', [{ name: 'broken.onnx', type: 'application/octet-stream', bytes: [1, 2, 3] }]);
    const notice = page.locator(NOTICE, { hasText: 'broken.onnx cannot be sampled' });
    await notice.waitFor(WAIT);
    expect(await notice.textContent()).toContain("broken.onnx cannot be sampled: it is not a network in the studio's format");
    expect(existsSync(join(studio.served.workspace, 'models', 'broken.onnx'))).toBe(false);
    expect(studio.pageErrors).toEqual([]);
  });
});
