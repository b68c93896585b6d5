// End-to-end: "did it land on the data?" in Chromium: a run's training data and the ideal model's exact draws drawn faintly under the Sample clouds, class names in legends, axes fitted to the data (Sample clouds, the training preview).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../src-core/api/studio-api';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { openStudio, sampleBoth, sectionUrl, waitUntil, type OpenStudio } from './browser';
import { sidesCsv } from './sides-csv';

const WAIT = { timeout: 15_000 };
const SECTION = '[data-testid="section-sample"]';
const ODE = '[data-panel="ode"]';
const TOGGLE = '[data-testid="show-data"]';
const LEGEND = `${SECTION} [data-testid="chart-legend"] li`;
const MOONS: TrainingConfigInput = {
  data: { source: 'builtin', id: 'two-moons', params: { count: 3000, noise: 0.05, seed: 3 } },
  model: { family: 'mlp', hidden: [32, 32] },
  steps: 300,
  batchSize: 128,
  checkpointEvery: 100,
  seed: 1,
  backend: 'onnxruntime',
};

/**
 * Page script: a panel's pixels as the page shows them (over white) by kind, within its plot area: faint grey (data without classes), and for each given
 * colour the pixels tinted towards it (a faint class colour over the light ground), each with where it lies in data units.
 */
const READ = (selector: string, tints: readonly (readonly [number, number, number])[], keep: boolean) => `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const layers = [...el.querySelectorAll('canvas')].filter((c) => c.width > 0);
  const out = document.createElement('canvas');
  out.width = layers[0].width;
  out.height = layers[0].height;
  const ctx = out.getContext('2d');
  // the chart's canvases are transparent where nothing is drawn: over white, as the page shows them
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  for (const c of layers) ctx.drawImage(c, 0, 0, out.width, out.height);
  const { data } = ctx.getImageData(0, 0, out.width, out.height);
  const s = out.width / el.clientWidth;
  const [xMin, xMax, yMin, yMax] = el.dataset.extent.split(',').map(Number);
  const [l, t, r, b] = el.dataset.plot.split(',').map((v) => Number(v) * s);
  const tints = ${JSON.stringify(tints)};
  const grey = [];
  const tinted = tints.map(() => []);
  // pixels changed since the picture kept by the last read that kept one
  const base = window.__sampleDataBase;
  const changed = [];
  if (${keep}) window.__sampleDataBase = data;
  // a few pixels in from the plot's edges, where the axis lines are
  for (let y = Math.ceil(t) + 3; y < b - 3; y++) for (let x = Math.ceil(l) + 3; x < r - 3; x++) {
    const i = 4 * (y * out.width + x);
    const [R, G, B, A] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (A < 100) continue;
    const at = [xMin + ((x - l) / (r - l)) * (xMax - xMin), yMax - ((y - t) / (b - t)) * (yMax - yMin)];
    const hi = Math.max(R, G, B), lo = Math.min(R, G, B);
    if (base && Math.abs(base[i] - R) + Math.abs(base[i + 1] - G) + Math.abs(base[i + 2] - B) > 30) changed.push(at);
    // the data's grey, anti-aliased lighter at the dot edges; the grid lines are lighter still (232 and up)
    if (hi - lo < 18 && hi < 228 && hi > 120) grey.push(at);
    tints.forEach((c, k) => {
      // the pixel lies between the white ground and the colour: the same share of the way on each channel
      const f = [0, 1, 2].map((j) => (255 - [R, G, B][j]) / Math.max(1, 255 - c[j]));
      if (f[0] > 0.12 && Math.max(...f) - Math.min(...f) < 0.12) tinted[k].push(at);
    });
  }
  done({ grey, tinted, changed, extent: [xMin, xMax, yMin, yMax] });
})))`;

interface Read {
  grey: [number, number][];
  changed: [number, number][];
  tinted: [number, number][][];
  extent: number[];
}

const mean = (pts: [number, number][]) => [0, 1].map((j) => pts.reduce((a, p) => a + p[j], 0) / Math.max(1, pts.length));
const near = (pts: [number, number][], c: readonly [number, number], r: number) => pts.filter((p) => Math.hypot(p[0] - c[0], p[1] - c[1]) < r).length;
const hex = (h: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];

describe('data under the samples, legends and fitted axes in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let api: StudioApi;
  let moonsId: string;

  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  /** Reads the ODE panel; keep: remember this picture, for the next read's changed pixels. */
  const read = (tints: readonly (readonly [number, number, number])[] = [], keep = false) => page.evaluate(READ(ODE, tints, keep)) as Promise<Read>;
  const optionText = async (runId: string) => ((await page.locator(`#sample-model option[value="run:${runId}"]`).textContent()) ?? '').trim();
  const toggle = async (on: boolean, count: string) => {
    if ((await page.locator(TOGGLE).isChecked()) !== on) await page.locator(TOGGLE).click();
    await page.locator(`${ODE}[data-data-count="${on ? count : '0'}"]`).waitFor(WAIT);
  };

  beforeAll(async () => {
    studio = await openStudio({ screenshotPrefix: 'sample-data-', fullPage: true });
    page = studio.page;
    api = studio.served.api;
    moonsId = (await api.call('training.start', { config: MOONS, name: 'moons' })).runId;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it("a run's training data is drawn faintly under its samples when asked, and the axes fit it", async () => {
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await page.locator(`#sample-model option[value="run:${moonsId}"]`).waitFor({ ...WAIT, state: 'attached' });
    await waitUntil('the moons run to complete', async () => (await optionText(moonsId)).endsWith('completed)'), 60_000);
    await page.locator('#sample-model').selectOption(`run:${moonsId}`);
    expect(await page.locator(`${SECTION} .toggle`).textContent()).toContain('Draw the training data beneath');
    await page.locator('#sample-steps').fill('10');
    await page.locator('#sample-count').fill('400');
    await sampleBoth(page, `run:${moonsId}`);
    await page.locator('#step-slider').fill('10');
    await page.locator(`${ODE}[data-step="10"]`).waitFor(WAIT);
    const off = await read();
    await toggle(true, '3000');
    expect(await page.locator(LEGEND).allTextContents()).toEqual(['training data (3,000 of 3,000 points)']);
    const on = await read();
    await studio.shot('moons');
    // the faint grey is the two moons: many more such pixels, centred where the set's mean is (the origin)
    expect(on.grey.length).toBeGreaterThan(1500);
    expect(on.grey.length).toBeGreaterThan(5 * off.grey.length);
    const [mx, my] = mean(on.grey);
    expect(Math.abs(mx)).toBeLessThan(0.25);
    expect(Math.abs(my)).toBeLessThan(0.25);
    // and on the moons: half circles of radius 2 about (-1, -0.5) (the upper, above y = -0.5) and (1, 0.5) (the lower, below y = 0.5)
    const fromMoon = ([x, y]: [number, number]) =>
      Math.min(y > -0.6 ? Math.abs(Math.hypot(x + 1, y + 0.5) - 2) : Infinity, y < 0.6 ? Math.abs(Math.hypot(x - 1, y - 0.5) - 2) : Infinity);
    const onMoons = on.grey.filter((p) => fromMoon(p) < 0.35).length;
    expect(onMoons / on.grey.length).toBeGreaterThan(0.7);
    // the axes hold the moons (x in [-3, 3], y in [-1.5, 1.5]) without a wide empty margin
    const [x0, x1, y0, y1] = on.extent;
    expect(x0).toBeLessThan(-3);
    expect(x1).toBeGreaterThan(3);
    expect(y0).toBeLessThan(-1.5);
    expect(y1).toBeGreaterThan(1.5);
    expect(Math.max(x1 - x0, y1 - y0)).toBeLessThan(9);
    await toggle(false, '3000');
    expect((await read()).grey.length).toBeLessThan(on.grey.length / 5);
  }, 90_000);

  it('the ideal model draws exact samples of its mixture beneath, on its components', async () => {
    await page.locator('#sample-model').selectOption('oracle:eight-gaussians');
    expect(await page.locator(`${SECTION} .toggle`).textContent()).toContain('Draw the training data beneath'); // the run's samples are still on screen
    await sampleBoth(page, 'oracle:eight-gaussians');
    expect(await page.locator(`${SECTION} .toggle`).textContent()).toContain('Draw exact samples of the mixture beneath');
    await page.locator('#step-slider').fill('10');
    await page.locator(`${ODE}[data-step="10"]`).waitFor(WAIT);
    await read([], true);
    await toggle(true, '5000');
    expect(await page.locator(LEGEND).allTextContents()).toEqual(['exact draws of the mixture (5000)']);
    const { changed } = await read();
    await studio.shot('oracle');
    // what the draws change in the picture lies on the eight components of the ring of radius 2 (sd 0.1)
    const centres = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((Math.PI * k) / 4), 2 * Math.sin((Math.PI * k) / 4)] as const);
    expect(changed.length).toBeGreaterThan(300);
    expect(centres.reduce((a, c) => a + near(changed, c, 0.45), 0) / changed.length).toBeGreaterThan(0.8);
    await toggle(false, '5000');
  }, 60_000);

  it("a class-conditional run's legend names the sampled class and the data's classes, drawn in their colours", async () => {
    const { saved } = await api.call('datasets.import', { name: 'sides', bytes: sidesCsv(800, 5), fileName: 'sides.csv', header: true, labelColumn: 'side' });
    if (!saved) throw new Error('the import saved nothing');
    const config: TrainingConfigInput = {
      data: { source: 'workspace', id: saved.id },
      model: { family: 'mlp', hidden: [32, 32], classes: 2, labelDropout: 0.2 },
      steps: 200, batchSize: 128, checkpointEvery: 100, seed: 4, backend: 'onnxruntime',
    };
    const { runId } = await api.call('training.start', { config, name: 'sides' });
    await page.locator(`#sample-model option[value="run:${runId}"]`).waitFor({ ...WAIT, state: 'attached' });
    await waitUntil('the conditional run to complete', async () => (await optionText(runId)).endsWith('completed)'), 60_000);
    await page.locator('#sample-model').selectOption(`run:${runId}`);
    await page.locator('#sample-class').selectOption('1');
    await sampleBoth(page, `run:${runId}`);
    await toggle(true, '800');
    expect(await page.locator(LEGEND).allTextContents()).toEqual(['particles of class 1: right', 'training data (800 of 800 points): left', 'training data (800 of 800 points): right']);
    // each class of the data in its legend colour, where that class lies
    const colours = (await page.evaluate(`[...document.querySelectorAll('${LEGEND} .swatch')].map((s) => getComputedStyle(s).backgroundColor)`)) as string[];
    const rgb = colours.slice(1).map((c) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number) as [number, number, number]);
    expect(rgb).toEqual([hex('#e8590c'), hex('#2f9e44')]);
    const { tinted } = await read(rgb);
    const [left, right] = tinted;
    expect(near(left, [-2, 0], 1)).toBeGreaterThan(100);
    expect(near(left, [-2, 0], 1)).toBeGreaterThan(10 * near(left, [2, 0], 1));
    expect(near(right, [2, 0], 1)).toBeGreaterThan(100);
    expect(near(right, [2, 0], 1)).toBeGreaterThan(10 * near(right, [-2, 0], 1));
    await studio.shot('classes');

    // a reload brings the run back with its class, the data beneath and its samples
    await page.waitForTimeout(400); // the session is written a moment after the last change
    await page.reload(WAIT);
    await page.locator(`${SECTION}[data-compared="run:${runId}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('#sample-model').inputValue()).toBe(`run:${runId}`);
    expect(await page.locator('#sample-class').inputValue()).toBe('1');
    expect(await page.locator(TOGGLE).isChecked()).toBe(true);
    await page.locator(`${ODE}[data-data-count="800"]`).waitFor(WAIT);
    expect(await attr(ODE, 'data-point-count')).toBe('400');
    expect(await page.locator(LEGEND).first().textContent()).toBe('particles of class 1: right');
  }, 90_000);

  it('the training preview fits its axes to the data and the samples, not fixed ranges', async () => {
    const { runId } = await api.call('training.start', { config: { ...MOONS, steps: 50_000, checkpointEvery: 1000 }, name: 'preview' });
    await page.locator('nav [data-section="train"]').click();
    await page.locator(`[data-testid="run-list"] button.open[data-run-id="${runId}"]`).click();
    const chart = '[data-testid="preview-chart"]';
    await waitUntil('a preview', async () => Number(await attr(chart, 'data-sample-count')) > 0, 45_000);
    const [x0, x1, y0, y1] = ((await attr(chart, 'data-extent')) ?? '').split(',').map(Number);
    await studio.shot('preview');
    await api.call('training.cancel', { runId });
    // the Data section's two moons (x in [-3.2, 3.2], y in [-1.7, 1.7]) fill the plot instead of a band in a tall box
    expect(x0).toBeLessThan(-3);
    expect(x1).toBeGreaterThan(3);
    expect(6.4 / (x1 - x0)).toBeGreaterThan(0.6);
    expect(3.4 / (y1 - y0)).toBeGreaterThan(0.3);
  }, 90_000);

  it('logged no errors in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
