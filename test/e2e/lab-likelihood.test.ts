// End-to-end: the Lab's likelihood panel in Chromium: a flow trained on the Data section's mixture drawn as log p beside the exact log p, its
// difference fading when the exact velocity replaces the flow, the grid's mass and NLL in the evidence; then bits per dimension of MNIST under a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../src-core/api/studio-api';
import { labColours } from '../../src-renderer/features/lab/lab-colours';
import { INITIAL_MIXTURE } from '../../src-renderer/features/data/mixture-components';
import { openStudio, sectionUrl, type OpenStudio } from './browser';
import { inkOf, readPlot } from '../lab/lab-pixels';
import { landed, serveLabStudio, setRange } from '../lab/lab-studio';
import { colourMask, countInk, parseColour, shareNear } from './pixels';

const PANEL = '[data-testid="lab-likelihood"]';
const EVIDENCE = '[data-testid="lab-lk-evidence"]';
const colours = labColours('light');
const means = INITIAL_MIXTURE.map((c) => c.mean);

describe('Lab: likelihood, in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let api: StudioApi;

  beforeAll(async () => {
    studio = await openStudio({ studio: serveLabStudio, screenshotPrefix: 'lab-likelihood-' });
    page = studio.page;
    api = studio.served.api;
    await page.goto(sectionUrl(studio.url, 'lab/likelihood'));
    await page.locator('[data-testid="section-lab"][data-panel="likelihood"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  const number = async (name: string) => Number(await page.locator(EVIDENCE).getAttribute(name));
  /** Pixels of the difference picture in either of its colours. */
  const differenceInk = async () => {
    const pic = await readPlot(page, '[data-testid="lab-lk-diff"]');
    return countInk(inkOf(pic, colours.particles, 60)) + countInk(inkOf(pic, colours.fp, 60));
  };

  it("draws a trained flow's log p where the mixture is, with mass 1 and an NLL no better than the exact one; the exact velocity leaves no difference", async () => {
    const version = await landed(page, PANEL, 0, 60_000);
    expect(await page.locator('[data-testid="lab-lk-model"]').getAttribute('data-model')).toBe('flow');
    await studio.shot('flow');
    // the model's log p: its densest pixels sit on the mixture's components
    const model = await readPlot(page, '[data-testid="lab-lk-model"]');
    const dense = colourMask(model.picture, parseColour(colours.density), { within: model.plot, tolerance: 40, minAlpha: 200 });
    expect(countInk(dense)).toBeGreaterThan(50);
    expect(shareNear(dense, model.plot, means, 1.2)).toBeGreaterThan(0.9);
    expect(Math.abs((await number('data-model-mass')) - 1)).toBeLessThan(0.05);
    expect(Math.abs((await number('data-oracle-mass')) - 1)).toBeLessThan(1e-3);
    const nll = await number('data-model-nll');
    const exact = await number('data-oracle-nll');
    expect(nll).toBeGreaterThan(exact - 0.1);
    expect(nll - exact).toBeLessThan(1);
    expect(Math.abs(await number('data-gap'))).toBeLessThan(4 * (await number('data-gap-se')));
    const flowDifference = await differenceInk();
    expect(flowDifference).toBeGreaterThan(200);

    // the exact velocity: only the solver's error is left, so the difference picture empties and the NLLs agree
    await page.locator('[data-testid="lab-lk-model-oracle"]').check();
    await landed(page, PANEL, version, 30_000);
    expect(await page.locator('[data-testid="lab-lk-model"]').getAttribute('data-model')).toBe('oracle');
    expect(Math.abs((await number('data-model-nll')) - (await number('data-oracle-nll')))).toBeLessThan(1e-3);
    expect(await number('data-worst')).toBeLessThan(0.01);
    expect(await differenceInk()).toBeLessThan(flowDifference / 20);
    expect(await page.locator(EVIDENCE).textContent()).toMatch(/Mass on the grid \(Σ p × cell area\): model 1\.000\d, exact 1\.000\d/);
    await studio.shot('oracle');
  }, 120_000);

  it('says how to get an MNIST run when there is none, then measures bits per dimension of held-out digits under one', async () => {
    await page.locator('[data-testid="lab-lk-no-runs"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="lab-lk-no-runs"]').textContent()).toMatch(/train a run on it in the Train section/);
    const set = (await api.call('datasets.mnist', { count: 16, digits: [0, 1], name: 'lab digits' })).id;
    const { runId } = await api.call('training.start', {
      config: { data: { source: 'workspace', id: set, normalise: 'standardise' }, model: { family: 'unet', channels: [8, 16], resBlocks: 1, groups: 8, timeEmbedding: { kind: 'sinusoidal', dim: 16 } }, steps: 20, batchSize: 8, checkpointEvery: 10, seed: 2, backend: 'onnxruntime' },
      name: 'lab digits unet',
    });
    await api.call('training.wait', { runId });
    await page.locator('[data-testid="lab-lk-refresh"]').click();
    await page.locator(`[data-testid="lab-lk-run"] option[value="${runId}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('[data-testid="lab-lk-run"]').selectOption(runId);
    // four digits keep the network's 40 evaluations with their backward passes short on a small CPU
    await setRange(page, '[data-testid="lab-lk-images"]', 4);
    await page.locator('[data-testid="lab-lk-bits"] [data-testid="lab-run"]').click();
    await landed(page, '[data-testid="lab-lk-bits"]', 0, 60_000);
    const evidence = page.locator('[data-testid="lab-lk-bits-evidence"]');
    const bpd = Number(await evidence.getAttribute('data-bpd'));
    const se = Number(await evidence.getAttribute('data-se'));
    expect(Number.isFinite(se) && se > 0).toBe(true);
    // a barely trained network: well above good models' 1 to 2 bits, and finite
    expect(bpd).toBeGreaterThan(0.5);
    expect(bpd).toBeLessThan(20);
    expect(await evidence.textContent()).toMatch(/bits per dimension over 4 digits/);
    const plot = await readPlot(page, '[data-testid="lab-lk-bits-plot"]');
    expect(countInk(inkOf(plot, colours.particles, 50))).toBeGreaterThan(20);
    await studio.shot('bits');
    expect(studio.pageErrors).toEqual([]);
  }, 120_000);
});
