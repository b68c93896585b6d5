// End-to-end: training runs as models in the Sample section, in Chromium: an MLP on two moons sampled while it trains, a tiny U-Net on MNIST digits drawn as image grids, and a class-conditional MLP with its class picker and guidance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../src-core/api/studio-api';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { openStudio, panelsAt, sampleBoth, sectionUrl, waitUntil, type OpenStudio } from './browser';
import { sidesCsv } from './sides-csv';
import { cloudOverlap, countInk, readCloud, shareInside } from './pixels';

const WAIT = { timeout: 15_000 };
const ODE = '[data-panel="ode"]';
const SDE = '[data-panel="sde"]';
/** Long enough to still be training while it is sampled (it is cancelled after). */
const MOONS: TrainingConfigInput = {
  data: { source: 'builtin', id: 'two-moons', params: { count: 1024 } },
  model: { family: 'mlp', hidden: [32, 32] },
  steps: 50_000,
  batchSize: 64,
  checkpointEvery: 100,
  seed: 1,
  backend: 'cpu',
};
/** A handful of U-Net steps on a few digits: the weights barely move, which is all drawing them needs. */
const unetOn = (datasetId: string): TrainingConfigInput => ({
  data: { source: 'workspace', id: datasetId, normalise: 'standardise' },
  model: { family: 'unet', channels: [8, 16], resBlocks: 1, groups: 8, timeEmbedding: { kind: 'sinusoidal', dim: 16 } },
  steps: 4,
  batchSize: 8,
  checkpointEvery: 2,
  seed: 2,
  backend: 'onnxruntime',
});

/** Page script: the drawn pixels of a canvas (opaque ones, their grey levels, a hash of them in order). */
const canvasPixels = (selector: string) => `(() => {
  const canvas = document.querySelector(${JSON.stringify(selector)});
  if (!canvas || canvas.width === 0 || canvas.height === 0) return { opaque: 0, levels: 0, hash: 0 };
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const levels = new Set();
  let opaque = 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    opaque++;
    levels.add(data[i]);
    hash = Math.imul(hash ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16) ^ ((i >> 2) << 24), 0x01000193) >>> 0;
  }
  return { opaque, levels: levels.size, hash };
})()`;

interface Pixels {
  opaque: number;
  levels: number;
  hash: number;
}

describe('training runs as models in the Sample section', () => {
  let studio: OpenStudio;
  let page: Page;
  let api: StudioApi;
  let moonsId: string;
  let digitsSet: string;

  const attr = (selector: string, name: string) => page.locator(selector).getAttribute(name);
  const option = (runId: string) => page.locator(`#sample-model option[value="run:${runId}"]`);
  const optionText = async (runId: string) => ((await option(runId).textContent()) ?? '').trim();
  const stepOf = (label: string) => Number(/step (\d+) of/.exec(label)?.[1] ?? NaN);
  const pixels = (selector: string) => page.evaluate(canvasPixels(selector)) as Promise<Pixels>;
  /** How far the two panels' clouds share their pixels (1: the same picture of points). */
  const panelsOverlap = async () => cloudOverlap(await readCloud(page, ODE), await readCloud(page, SDE));

  beforeAll(async () => {
    studio = await openStudio({ fullPage: true });
    page = studio.page;
    api = studio.served.api;
    digitsSet = (await api.call('datasets.mnist', { count: 16, digits: [0, 1], name: 'e2e digits' })).id;
    moonsId = (await api.call('training.start', { config: MOONS, name: 'moons mlp' })).runId;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('samples the MLP run on two moons while it trains (one noise, two clouds), then a newer checkpoint draws elsewhere; the list follows the run', async () => {
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await option(moonsId).waitFor({ ...WAIT, state: 'attached' });
    await waitUntil('the run to be training past its first checkpoints', async () => {
      const label = await optionText(moonsId);
      return label.includes('training…') && stepOf(label) >= 100;
    });
    expect(await optionText(moonsId)).toMatch(/^moons mlp: current EMA weights \(step \d+ of 50000, training…\)$/);
    expect(await option(moonsId).isDisabled()).toBe(false);
    await page.locator('#sample-model').selectOption(`run:${moonsId}`);
    expect(await page.locator('[data-testid="sample-run-note"]').textContent()).toContain('as it trains');
    await page.locator('#sample-steps').fill('20');
    await page.locator('#sample-count').fill('500');
    await sampleBoth(page, `run:${moonsId}`);
    await panelsAt(page, 0);
    expect(await attr(ODE, 'data-point-count')).toBe('500');
    expect(await attr(SDE, 'data-point-count')).toBe('500');
    // both panels draw a cloud, and from the same noise the same pixels
    for (const panel of [ODE, SDE]) expect(countInk((await readCloud(page, panel)).points)).toBeGreaterThan(500);
    expect(await panelsOverlap()).toBe(1);
    await page.locator('[data-testid="step-scrubber"]').waitFor(WAIT);
    expect(await page.locator('#step-slider').isEnabled()).toBe(true);
    await page.locator('#step-slider').fill('20');
    await panelsAt(page, 20);
    expect(await panelsOverlap()).toBeLessThan(0.7);
    await studio.shot('sample-run-moons');

    // the same noise through a newer checkpoint: the ODE (deterministic) draws its cloud elsewhere
    const first = await readCloud(page, ODE);
    const sampledAt = stepOf(await optionText(moonsId));
    await waitUntil('a newer checkpoint', async () => stepOf(await optionText(moonsId)) >= sampledAt + 200, 20_000);
    await sampleBoth(page, `run:${moonsId}`);
    await panelsAt(page, 20); // same step count: the scrubber stays put
    expect(cloudOverlap(await readCloud(page, ODE), first)).toBeLessThan(0.9);

    // ended elsewhere, the entry says so without a reload
    await api.call('training.cancel', { runId: moonsId });
    await waitUntil('the entry to show the cancelled run', async () => /cancelled\)$/.test(await optionText(moonsId)));
    expect(await optionText(moonsId)).not.toContain('training…');
  }, 60_000);

  it('samples a tiny U-Net on MNIST digits: both panels show grids of x_t and x0 that move with the scrubber', async () => {
    const { runId } = await api.call('training.start', { config: unetOn(digitsSet), name: 'digits unet' });
    // it shows up and completes in the picker through the status events alone
    await option(runId).waitFor({ ...WAIT, state: 'attached' });
    await waitUntil('the U-Net run to complete', async () => (await optionText(runId)).endsWith('completed)'), 45_000);
    expect(await optionText(runId)).toBe('digits unet: current EMA weights (step 4 of 4, completed)');
    await page.locator('#sample-model').selectOption(`run:${runId}`);
    await page.locator('#sample-images').waitFor(WAIT);
    expect(await page.locator('#sample-count').count()).toBe(0);
    await page.locator('#sample-steps').fill('8');
    await page.locator('#sample-images').fill('8');
    await sampleBoth(page, `run:${runId}`);
    await panelsAt(page, 0);
    for (const panel of [ODE, SDE]) {
      expect(await attr(panel, 'data-image-count')).toBe('8');
      expect(await page.locator(`${panel} [data-grid="xt"] canvas`).count()).toBe(1);
      expect(await page.locator(`${panel} [data-grid="x0"] canvas`).count()).toBe(1);
    }
    const grids = [`${ODE} [data-grid="xt"] canvas`, `${ODE} [data-grid="x0"] canvas`, `${SDE} [data-grid="xt"] canvas`, `${SDE} [data-grid="x0"] canvas`];
    const drawn = async () => Promise.all(grids.map(pixels));
    await waitUntil('the grids to be drawn', async () => (await drawn()).every((p) => p.opaque > 0 && p.levels > 8));
    const atStart = await drawn();
    // 8 images of 28x28 shown at 56 px: at least 8 * 56 * 56 drawn pixels per grid
    for (const p of atStart) expect(p.opaque).toBeGreaterThanOrEqual(8 * 56 * 56);
    // both panels start from the same noise: their x_t grids are the same pixels
    expect(atStart[2].hash).toBe(atStart[0].hash);
    await page.locator('[data-testid="section-sample"] .compare').scrollIntoViewIfNeeded();
    await studio.shot('sample-run-images-step0');

    await page.locator('#step-slider').fill('8');
    await panelsAt(page, 8);
    await waitUntil('every grid to redraw at the last step', async () => (await drawn()).every((p, i) => p.hash !== atStart[i].hash && p.levels > 8));
    // and part ways: at the last step the ODE's and the SDE's x_t grids differ
    const atEnd = await drawn();
    expect(atEnd[2].hash).not.toBe(atEnd[0].hash);
    await studio.shot('sample-run-images-end');

    // playing from the start moves the grids too
    await page.locator('#step-slider').fill('0');
    await panelsAt(page, 0);
    await waitUntil('the grids to be back at step 0', async () => (await drawn())[0].hash === atStart[0].hash);
    await page.locator('[data-testid="play-toggle"]').click();
    await waitUntil('play to reach the last step', async () => (await attr(ODE, 'data-step')) === '8', 10_000);
    await waitUntil('the grids to follow play', async () => (await drawn())[0].hash !== atStart[0].hash);
  }, 90_000);

  it('samples a class-conditional MLP: the class picker names the classes, each class is drawn on its own cluster, guidance changes the picture', async () => {
    // two labelled clusters, imported as a CSV with a label column
    const { saved } = await api.call('datasets.import', { name: 'two sides', bytes: sidesCsv(600, 11), fileName: 'sides.csv', header: true, labelColumn: 'side' });
    if (!saved) throw new Error('the import saved nothing');
    expect(saved.classes?.slice().sort()).toEqual(['left', 'right']);
    const config: TrainingConfigInput = {
      data: { source: 'workspace', id: saved.id },
      model: { family: 'mlp', hidden: [64, 64], classes: 2, labelDropout: 0.2 },
      steps: 1500, batchSize: 256, checkpointEvery: 500, seed: 4, backend: 'onnxruntime',
    };
    const { runId } = await api.call('training.start', { config, name: 'sides' });
    await page.goto(sectionUrl(studio.url, 'sample'), WAIT);
    await option(runId).waitFor({ ...WAIT, state: 'attached' });
    await waitUntil('the conditional run to complete', async () => (await optionText(runId)).endsWith('completed)'), 60_000);
    await page.locator('#sample-model').selectOption(`run:${runId}`);
    await page.locator('#sample-class').waitFor(WAIT);
    const names = saved.classes ?? [];
    expect((await page.locator('#sample-class option').allTextContents()).map((t) => t.trim())).toEqual(names.map((n, k) => `${k}: ${n}`));
    await page.locator('#sample-steps').fill('20');
    await page.locator('#sample-count').fill('400');
    await page.locator('#sample-guidance').fill('2');

    /** Samples the class named `name` and scrubs to the last step. */
    const sampleClass = async (name: string): Promise<void> => {
      await page.locator('#sample-class').selectOption(String(names.indexOf(name)));
      await sampleBoth(page, `run:${runId}`);
      await page.locator('#step-slider').fill('20');
      await panelsAt(page, 20);
    };
    /**
     * Share of each panel's drawn points in the square of side 3 around the cluster at (x, 0): the data's clusters sit at
     * x = -2 and x = 2 (sd 0.3); a briefly trained model draws them off by up to about half a unit.
     */
    const shareOn = async (x: number) => {
      const square = { xMin: x - 1.5, xMax: x + 1.5, yMin: -1.5, yMax: 1.5 };
      return Promise.all([ODE, SDE].map(async (panel) => {
        const view = await readCloud(page, panel);
        return shareInside(view.points, view.plot, square);
      }));
    };
    for (const [name, own, other] of [['left', -2, 2], ['right', 2, -2]] as const) {
      await sampleClass(name);
      const mine = await shareOn(own);
      const theirs = await shareOn(other);
      for (const share of mine) expect(share).toBeGreaterThan(0.9);
      for (const share of theirs) expect(share).toBeLessThan(0.05);
    }
    await page.locator('[data-testid="section-sample"] .compare').scrollIntoViewIfNeeded();
    await studio.shot('sample-conditional');
    // guidance 1 is the plain conditional model: the same noise and class are drawn elsewhere than at w = 2
    await sampleClass('left');
    const guided = await readCloud(page, ODE);
    await page.locator('#sample-guidance').fill('1');
    await sampleClass('left');
    expect(cloudOverlap(await readCloud(page, ODE), guided)).toBeLessThan(0.9);
  }, 90_000);

  it('logged no errors in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
