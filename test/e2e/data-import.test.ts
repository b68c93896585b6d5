// End-to-end: importing files in the Data section (preview, save, open, delete), CSV choices, malformed files, images, MNIST, the mixture editor.
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openStudio, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
const CHART = '[data-point-count]';
const FILE_INPUT = '[data-testid="file-input"]';
const ERROR = '[data-testid="import-error"]';

/** 40 points on a curve with a header row: the preview and the saved set show all 40. */
const CSV = 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${(i / 10).toFixed(1)},${((i * i) / 400).toFixed(3)}`).join('\n') + '\n';

/** A .npy file whose header dictionary is cut short. */
function badNpy(): Buffer {
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2 }".padEnd(118, ' ') + '\n';
  return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]), Buffer.from(header, 'latin1'), Buffer.alloc(16)]);
}

/** A small grey PNG with a bright square whose place depends on k. */
function png(k: number): Buffer {
  const side = 12;
  const data = new Uint8Array(side * side);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data[(y + 2 + k) * side + x + 2 + 2 * k] = 255;
  return Buffer.from(encode({ width: side, height: side, data, channels: 1, depth: 8 }));
}

describe('Data import in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  const upload = (name: string, text: string | Buffer, mimeType = 'text/plain') =>
    page.locator(FILE_INPUT).setInputFiles({ name, mimeType, buffer: typeof text === 'string' ? Buffer.from(text) : text });

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1440, height: 900 }, waitFor: '[data-dataset-id="two-moons"]', screenshotPrefix: 'data-import-' });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('previews a CSV (every row, shape, statistics), saves it, and then shows all of it', async () => {
    await page.locator('[data-mode="import"]').click();
    await upload('points.csv', CSV, 'text/csv');
    await page.locator(`${CHART}[data-point-count="40"]`).waitFor(WAIT);
    expect(await page.locator('[data-testid="import-partial"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[40 × 2]');
    expect(await page.locator('[data-testid="import-stats"] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid="import-stats"] tbody th').first().textContent()).toBe('x');
    await studio.shot('csv-preview');
    await page.locator('#import-name').fill('e2e points');
    await page.locator('[data-testid="import-save"]').getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="import-saved-list"] li', { hasText: 'e2e points' }).waitFor(WAIT);
    await page.locator(`${CHART}[data-point-count="40"]`).waitFor(WAIT);
    await studio.shot('csv-saved');
  }, 30_000);

  it('each malformed file shows its message, naming the place', async () => {
    const cases: [string, string | Buffer, string][] = [
      ['bad.csv', '1,2\n3,4\n5,abc\n', 'bad.csv: row 3, column 2: "abc" is not a number'],
      ['ragged.json', '[[1, 2], [3, 4], [5, 6, 7]]', 'ragged.json: item 2 has 3 numbers, expected 2'],
      ['bad.npy', badNpy(), 'bad.npy: not a usable .npy file: header has a malformed tuple'],
    ];
    for (const [name, contents, message] of cases) {
      await upload(name, contents);
      const box = page.locator(ERROR, { hasText: message });
      await box.waitFor(WAIT);
      expect(await box.getAttribute('role')).toBe('alert');
      expect(await page.locator('[data-testid="import-save"]').count()).toBe(0);
      await studio.shot(`error-${name.replace('.', '-')}`);
    }
  }, 30_000);

  it('CSV choices: a semicolon file with a header and a label column imports with its labels; a wrong label column shows its message', async () => {
    // decimal commas, as where ';' separates the fields; the class is the last column
    const rows = Array.from({ length: 30 }, (_, i) => `${i},5;${(i * i) % 7},25;${i % 3}`);
    await upload('classes.csv', `x;y;class\n${rows.join('\n')}\n`, 'text/csv');
    const options = page.locator('[data-testid="csv-options"]');
    await options.waitFor(WAIT);
    await page.locator(`${CHART}[data-point-count="30"]`).waitFor(WAIT);
    await page.locator('select[name="csv-delimiter"]').selectOption(';');
    await page.locator('select[name="csv-header"]').selectOption('yes');
    const label = page.locator('select[name="csv-label"]');
    await label.locator('option', { hasText: 'class (column 3)' }).waitFor({ state: 'attached', ...WAIT });
    await label.selectOption({ label: 'class (column 3)' });
    await page.locator(`${CHART}[data-classes="0,1,2"]`).waitFor(WAIT);
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[30 × 2]');
    expect(await page.locator('[data-testid="import-notes"]').textContent()).toMatch(/column 3 read as class labels \(3 classes\)/);
    await studio.shot('csv-labels');
    // x holds 0.5, 1.5, ...: not class numbers
    await label.selectOption({ label: 'x (column 1)' });
    const box = page.locator(ERROR, { hasText: 'classes.csv: row 2, column 1: label 0.5 is not a whole number >= 0' });
    await box.waitFor(WAIT);
    expect(await box.locator('strong').textContent()).toBe('This file cannot be read with these choices.');
    expect(await label.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-testid="import-save"]').count()).toBe(0);
    await studio.shot('csv-wrong-label');
    await label.selectOption({ label: 'class (column 3)' });
    await page.locator(`${CHART}[data-classes="0,1,2"]`).waitFor(WAIT);
    expect(await page.locator(ERROR).count()).toBe(0);
    await page.locator('#import-name').fill('e2e classes');
    await page.locator('[data-testid="import-save"]').getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="import-saved-list"] li', { hasText: 'e2e classes' }).waitFor(WAIT);
    // the saved set opens in full, with its labels
    await page.locator(`${CHART}[data-point-count="30"][data-classes="0,1,2"]`).waitFor(WAIT);
    expect(await options.count()).toBe(0);
  }, 30_000);

  it('a CSV with a column of class names imports with them as labels, no choice needed', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => `${(i / 4).toFixed(2)},${((i * 7) % 5) / 2},${['versicolor', 'setosa', 'virginica'][i % 3]}`);
    await upload('flowers.csv', `length,width,species\n${rows.join('\n')}\n`, 'text/csv');
    await page.locator(`${CHART}[data-point-count="24"][data-classes="setosa,versicolor,virginica"]`).waitFor(WAIT);
    // the legend names each class in its colour
    expect(await page.locator('[data-testid="import-preview"] [data-testid="chart-legend"] li').allTextContents()).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[24 × 2]');
    expect(await page.locator('[data-testid="import-notes"]').textContent()).toMatch(/column 3 \(the only column of text\) read as class labels \(3 classes: setosa, versicolor, virginica\)/);
    expect(await page.locator('select[name="csv-label"]').inputValue()).toBe('');
    expect(await page.locator(ERROR).count()).toBe(0);
    await studio.shot('csv-class-names');
  }, 30_000);

  it('a large CSV previews evenly thinned to 20,000 points over the whole set, and says so', async () => {
    // 50,000 rows on a line y = x / 1000, the last at x = 49,999: a preview of the first rows would stop near 0
    const rows = Array.from({ length: 50_000 }, (_, i) => `${i},${i / 1000}`);
    await upload('long.csv', `x,y\n${rows.join('\n')}\n`, 'text/csv');
    await page.locator(`${CHART}[data-point-count="20000"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="import-partial"]').textContent()).toBe('Showing 20,000 of 50,000 rows, spaced evenly over the set.');
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[50000 × 2]');
    const [x0, x1] = ((await page.locator(CHART).getAttribute('data-x-range')) ?? '').split(',').map(Number);
    expect(x0).toBeLessThan(0);
    expect(x1).toBeGreaterThan(49_000);
    // the picture spans the set: ink in the plot's left and right tenths (read until the chart has drawn all its points,
    // which it may do over a few frames)
    const readInk = async () => (await page.evaluate(`(() => {
      const el = document.querySelector('${CHART}');
      const cols = new Array(10).fill(0);
      for (const c of el.querySelectorAll('canvas')) {
        const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        const left = 56 * c.width / el.clientWidth;
        const right = c.width - 18 * c.width / el.clientWidth;
        for (let y = 0; y < height; y++) for (let x = Math.ceil(left); x < right; x++) {
          const i = 4 * (y * width + x);
          if (data[i + 3] > 100 && data[i + 2] - data[i] > 60) cols[Math.min(9, Math.floor((10 * (x - left)) / (right - left)))]++;
        }
      }
      return cols;
    })()`)) as number[];
    let ink = await readInk();
    for (const until = Date.now() + 5000; (ink[0] === 0 || ink[9] === 0) && Date.now() < until; ink = await readInk()) await page.waitForTimeout(100);
    expect(ink[0]).toBeGreaterThan(0);
    expect(ink[9]).toBeGreaterThan(0);
    await studio.shot('csv-large');
  }, 45_000);

  it('a set of more than two dimensions gets a dimension picker', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i, i % 5, -i]);
    await upload('three.json', JSON.stringify(rows), 'application/json');
    await page.locator(`${CHART}[data-point-count="30"]`).waitFor(WAIT);
    expect(await page.locator(ERROR).count()).toBe(0);
    const before = await page.locator(CHART).getAttribute('data-y-range');
    await page.locator('select[name="dim-y"]').selectOption('2');
    await page.locator(`${CHART}:not([data-y-range="${before}"])`).waitFor(WAIT);
    expect(Number((await page.locator(CHART).getAttribute('data-y-range'))?.split(',')[0])).toBeLessThan(0);
    await studio.shot('pairwise');
  }, 30_000);

  it('several PNG images preview as an image grid', async () => {
    await page.locator(FILE_INPUT).setInputFiles([0, 1, 2].map((k) => ({ name: `im${k}.png`, mimeType: 'image/png', buffer: png(k) })));
    await page.locator('[data-testid="image-grid"][data-image-count="3"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="import-shape"]').textContent()).toBe('[3 × 1 × 12 × 12]');
    await studio.shot('images');
  }, 30_000);

  it('adds MNIST digits, shows them with labels, and deletes the set after asking', async () => {
    await page.locator('#mnist-count').fill('20');
    await page.locator('[data-digit="9"]').click();
    await page.locator('[data-testid="mnist-load"]').click();
    const grid = page.locator('[data-testid="image-grid"][data-image-count="20"]');
    await grid.waitFor(WAIT);
    const labels = (await grid.getAttribute('data-labels'))?.split(',') ?? [];
    expect(labels).toHaveLength(20);
    expect(labels).not.toContain('9');
    expect(new Set(labels).size).toBe(9);
    await studio.shot('mnist');
    const item = page.locator('[data-testid="import-saved-list"] li', { hasText: 'MNIST' });
    await item.getByRole('button', { name: /^Delete/ }).click();
    await item.getByRole('button', { name: 'Yes, delete' }).click();
    await item.waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator('[data-testid="image-grid"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-saved-list"] li', { hasText: 'e2e points' }).count()).toBe(1);
  }, 30_000);

  it('dragging a mixture mean moves the points', async () => {
    await page.locator('[data-mode="builtin"]').click();
    await page.locator('[data-dataset-id="gaussian-mixture"]').click();
    const chart = page.locator(`${CHART}[data-dataset="gaussian-mixture"]`);
    await chart.waitFor(WAIT);
    await page.locator('[data-testid="mixture-editor"]').waitFor(WAIT);
    const before = await chart.getAttribute('data-points-mean');
    const handle = page.locator('.handle[data-component="0"]');
    const meanBefore = await handle.getAttribute('data-mean');
    const box = await handle.boundingBox();
    if (!box) throw new Error('the handle has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + box.width / 2 + 25 * i, box.y + box.height / 2 - 12 * i);
    await page.mouse.up();
    await page.locator(`${CHART}:not([data-points-mean="${before}"])`).waitFor(WAIT);
    const meanAfter = (await handle.getAttribute('data-mean'))?.split(',').map(Number) ?? [];
    const start = meanBefore?.split(',').map(Number) ?? [];
    expect(meanAfter[0]).toBeGreaterThan(start[0] + 0.5);
    expect(meanAfter[1]).toBeGreaterThan(start[1]);
    const [bx] = (before ?? '').split(',').map(Number);
    const [ax] = ((await chart.getAttribute('data-points-mean')) ?? '').split(',').map(Number);
    expect(ax).toBeGreaterThan(bx);
    await page.locator('input[name="spread-1"]').fill('0.15');
    await page.locator('input[name="spread-1"]').press('Tab');
    await page.waitForTimeout(600);
    await studio.shot('mixture');
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
