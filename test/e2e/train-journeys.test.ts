// End-to-end, as a new user: the studio started by `npm start` itself (build included) in a fresh clone, every journey done in the page alone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { batch } from '../../src-core/batch';
import { parseTrainingConfig } from '../../src-core/training/config';
import { moonsYardstick, ratioToFloor, FLOOR_BAR } from '../../bench/lib/moons-floor';
import { connectWebSocket, apiUrl } from '../../src-core/api/ws-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { nodeSocket } from '../contract/transports';
import { freshClone, killGroup, startInClone } from '../integration/fresh-clone';
import { openStudio, sampleBoth, toLastStep, waitUntil, type OpenStudio, type StudioServer } from './browser';
import { countInk, readCloud, shareInside, shareNear } from './pixels';

const WAIT = { timeout: 20_000 };
const STATUS = '[data-testid="run-controls"]';
const ODE = '[data-panel="ode"]';

/** Two labelled clusters, 300 rows each, far apart on x: class names in the third column. */
function clustersCsv(): string {
  const rows = ['x,y,side'];
  let s = 1;
  const noise = () => {
    s = (s * 16807) % 2147483647;
    return ((s / 2147483647) - 0.5) * 0.8;
  };
  for (let i = 0; i < 300; i++) rows.push(`${(-2 + noise()).toFixed(4)},${noise().toFixed(4)},left`, `${(2 + noise()).toFixed(4)},${noise().toFixed(4)},right`);
  return `${rows.join('\n')}\n`;
}

describe('a new user trains every kind of model from the form', () => {
  let clone: Awaited<ReturnType<typeof freshClone>>;
  let workspace: string;
  let studio: OpenStudio<StudioServer>;
  let page: Page;
  let api: StudioApi;
  const timings: Record<string, number> = {};

  const section = (id: string) => page.locator(`nav [data-section="${id}"]`).click();
  const field = (key: string) => page.locator(`#tf-${key}`);
  /** Types a value into a Train form field as a person does: the change lands when the field is left. */
  const fill = async (key: string, value: string) => {
    await field(key).fill(value);
    await field(key).press('Tab');
  };
  const openGroup = async (id: string) => {
    const group = page.locator(`details[data-group="${id}"]`);
    if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
  };
  const runIds = async () => page.locator('[data-testid="run-list"] [data-run-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''));
  /** Presses Start and waits for the run it started to end; returns its id and the seconds it took. */
  const trainToEnd = async (timeout: number): Promise<{ runId: string; seconds: number }> => {
    const before = await runIds();
    const started = Date.now();
    await page.getByTestId('train-start').click();
    await waitUntil('the new run in the list', async () => (await runIds()).length > before.length, 30_000);
    const runId = (await runIds()).find((id) => !before.includes(id))!;
    await waitUntil('the run to end', async () => ['completed', 'failed', 'cancelled'].includes((await page.locator(STATUS).getAttribute('data-status')) ?? ''), timeout);
    expect(await page.locator(STATUS).getAttribute('data-status')).toBe('completed');
    return { runId, seconds: (Date.now() - started) / 1000 };
  };
  /** In the Sample section: picks a run, sets class and guidance where given, samples and waits for both panels. */
  const sampleRun = async (runId: string, opts: { classLabel?: number; guidance?: number; images?: boolean } = {}) => {
    await section('sample');
    await page.locator(`#sample-model option[value="run:${runId}"]`).waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#sample-model').selectOption(`run:${runId}`);
    if (opts.classLabel !== undefined) await page.locator('#sample-class').selectOption(String(opts.classLabel));
    if (opts.guidance !== undefined) {
      await page.locator('#sample-guidance').fill(String(opts.guidance));
      await page.locator('#sample-guidance').press('Tab');
    }
    await sampleBoth(page, undefined, 60_000);
    // the last step: the samples themselves
    await toLastStep(page, WAIT.timeout);
  };

  /** The studio as a user starts it: `npm start` (build included) in a fresh clone, over a workspace of its own. */
  const startedByNpm = async (): Promise<StudioServer> => {
    clone = await freshClone();
    workspace = mkdtempSync(join(tmpdir(), 'studio-journeys-'));
    const t0 = Date.now();
    const started = await startInClone(clone.dir, ['start'], workspace);
    timings['npm start (build included) to URL'] = (Date.now() - t0) / 1000;
    return { url: started.url, close: () => started.stop().catch(() => killGroup(started)) };
  };

  beforeAll(async () => {
    studio = await openStudio({ studio: startedByNpm, acceptDownloads: true, waitFor: '[data-dataset-id="two-moons"]', timeout: WAIT.timeout, screenshotPrefix: 'journey-', fullPage: true });
    page = studio.page;
    const u = new URL(studio.url);
    api = await connectWebSocket(apiUrl(`http://${u.host}`, u.searchParams.get('token')!), nodeSocket);
  }, 180_000);

  afterAll(async () => {
    console.log(`journey times (s): ${JSON.stringify(timings)}`);
    await studio?.close();
    await clone?.remove();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  }, 60_000);

  it('the default run on the Data section\'s two moons lands on the moons: within the bar of the data\'s own floor', async () => {
    await section('train');
    expect(await page.getByTestId('train-data-label').textContent()).toMatch(/^Two moons, 10,000 points/);
    const { runId, seconds } = await trainToEnd(180_000);
    timings['default two-moons run, Start to completed'] = seconds;
    await studio.shot('default-moons-trained');
    // the bar, on samples of the run's EMA weights drawn as the Sample section draws them
    const config = (await api.call('training.get', { runId })).config;
    const noise = config.data.source === 'builtin' ? Number(config.data.params.noise) : NaN;
    const yardstick = moonsYardstick(noise);
    let ratio = 0;
    for (const seed of [11, 12, 13]) {
      const r = await api.call('sampling.run', { model: { kind: 'run', runId }, sampler: 'heun', steps: 20, grid: 'uniform', n: 5000, seed, denoiseLast: false });
      ratio += ratioToFloor(batch(r.samples, [5000, 2]), yardstick) / 3;
    }
    timings['default two-moons ratio to the floor'] = Number(ratio.toFixed(3));
    expect(ratio).toBeLessThanOrEqual(FLOOR_BAR);
    // and on screen: the Sample section's cloud is drawn on the moons, close to the training points
    await sampleRun(runId);
    const cloud = await readCloud(page, ODE);
    expect(countInk(cloud.points)).toBeGreaterThan(1000);
    const data = await api.call('datasets.generate', { id: 'two-moons', count: 400, noise, seed: 1 });
    const centres = Array.from({ length: 400 }, (_, i) => [data.data[2 * i], data.data[2 * i + 1]] as const);
    const onMoons = shareNear(cloud.points, cloud.plot, centres, 0.3);
    timings['default two-moons share of drawn samples within 0.3 of the data'] = Number(onMoons.toFixed(3));
    expect(onMoons).toBeGreaterThan(0.9);
    await studio.shot('default-moons-sampled');
  }, 300_000);

  it('each input the form cannot take says why beside it, nothing starts, and a costly batch asks first', async () => {
    await section('train');
    const count = (await runIds()).length;
    await fill('batchSize', '-3');
    expect(await page.locator('#tf-batchSize-error').textContent()).toBe('must be at least 1');
    expect(await page.getByTestId('train-start').isDisabled()).toBe(true);
    await fill('batchSize', '256');
    await fill('hidden', '128, abc');
    expect(await page.locator('#tf-hidden-error').textContent()).toMatch(/whole numbers above 0 separated by commas/);
    await fill('hidden', '128, 128');
    await fill('steps', '');
    expect(await page.locator('#tf-steps-error').textContent()).toBe('needs a number');
    await page.keyboard.press('Control+Enter');
    expect(await page.getByTestId('train-start').isDisabled()).toBe(true);
    await fill('steps', '4000');
    await fill('batchSize', '1000000');
    expect(await page.locator('#tf-batchSize-warning').textContent()).toMatch(/larger than the data set \(10,000 rows\)/);
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-costly').waitFor(WAIT);
    expect(await page.getByTestId('train-start').textContent()).toMatch(/Start anyway/);
    await studio.shot('costly-batch');
    await page.getByTestId('train-reconsider').click();
    await fill('batchSize', '256');
    expect(await page.getByTestId('train-costly').count()).toBe(0);
    expect((await runIds()).length).toBe(count);
  }, 60_000);

  it('a labelled CSV trains a class-conditional MLP from the form, and each class samples onto its own cluster', async () => {
    await section('data');
    await page.locator('[data-mode="import"]').click();
    await page.getByTestId('file-input').setInputFiles({ name: 'sides.csv', mimeType: 'text/csv', buffer: Buffer.from(clustersCsv()) });
    await page.locator('#import-name').fill('sides');
    await page.locator('[data-testid="import-save"]').getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="import-saved-list"] li', { hasText: 'sides' }).waitFor(WAIT);
    // the saved set is open in the Data section, so it is what the Train form trains, with its classes
    await section('train');
    await waitUntil('the form to take the saved set', async () => /^sides \(saved set: 600 rows × 2, 2 classes\)/.test((await page.getByTestId('train-data-label').textContent()) ?? ''));
    expect(await field('conditional').isChecked()).toBe(true);
    await fill('steps', '1500');
    const { runId, seconds } = await trainToEnd(120_000);
    timings['class-conditional MLP, 1,500 steps'] = seconds;
    expect((await api.call('training.get', { runId })).config.model).toMatchObject({ family: 'mlp', classes: 2 });
    // the run list names the saved set it trained on
    expect(await page.locator(`[data-run-id="${runId}"]`).textContent()).toContain('saved set “sides”');
    for (const [label, region] of [
      [0, { xMin: -3.5, xMax: -0.5, yMin: -1.5, yMax: 1.5 }],
      [1, { xMin: 0.5, xMax: 3.5, yMin: -1.5, yMax: 1.5 }],
    ] as const) {
      await sampleRun(runId, { classLabel: label, guidance: 2 });
      const cloud = await readCloud(page, ODE);
      expect(countInk(cloud.points)).toBeGreaterThan(500);
      expect(shareInside(cloud.points, cloud.plot, region), `class ${label}`).toBeGreaterThan(0.9);
      await studio.shot(`conditional-class-${label}`);
    }
  }, 240_000);

  it('MNIST added in the Data section trains a U-Net from the form for a short budget, and its samples show as image grids', async () => {
    await section('data');
    await page.locator('[data-mode="import"]').click();
    await page.locator('#mnist-count').fill('200');
    await page.getByTestId('mnist-load').click();
    await section('train');
    const option = page.locator('#tf-data option', { hasText: 'saved: MNIST' });
    await option.waitFor({ ...WAIT, state: 'attached' });
    await page.locator('#tf-data').selectOption((await option.getAttribute('value'))!);
    expect(await page.getByTestId('train-data-label').textContent()).toMatch(/200 images 1×28×28, 10 classes/);
    // the form proposes a class-conditional U-Net for labelled images
    expect(await field('family').inputValue()).toBe('unet');
    expect(await field('conditional').isChecked()).toBe(true);
    await fill('steps', '30');
    await fill('batchSize', '8');
    await openGroup('optimiser');
    await fill('warmupSteps', '5');
    const { runId, seconds } = await trainToEnd(180_000);
    timings['U-Net on MNIST, 30 steps'] = seconds;
    // the training preview is a grid of images
    const preview = page.getByTestId('train-preview-images');
    await preview.waitFor(WAIT);
    await studio.shot('unet-trained');
    await sampleRun(runId, { classLabel: 3, guidance: 2, images: true });
    const grid = `${ODE} [data-grid="xt"] canvas`;
    const levels = (await page.evaluate(`(() => {
      const c = document.querySelector(${JSON.stringify(grid)});
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) seen.add(data[i]);
      return seen.size;
    })()`)) as number;
    expect(levels).toBeGreaterThan(8);
    await studio.shot('unet-sampled');
  }, 300_000);

  it('trains data-to-data between two saved sets with exact OT, from the form', async () => {
    await section('data');
    await page.locator('[data-mode="builtin"]').click();
    await page.locator('[data-dataset-id="two-moons"]').click();
    await page.locator('#save-name').fill('moons target');
    await page.getByTestId('save-dataset').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as “moons target”.').waitFor(WAIT);
    await page.locator('[data-dataset-id="eight-gaussians"]').click();
    await page.locator('#save-name').fill('gaussians source');
    await page.getByTestId('save-dataset').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as “gaussians source”.').waitFor(WAIT);
    await section('train');
    const pick = async (select: string, text: string) => {
      const o = page.locator(`${select} option`, { hasText: text });
      await o.waitFor({ ...WAIT, state: 'attached' });
      await page.locator(select).selectOption((await o.getAttribute('value'))!);
    };
    await pick('#tf-data', 'saved: moons target');
    await pick('#tf-source', 'saved: gaussians source');
    await page.locator('#tf-coupling').selectOption('ot');
    await fill('steps', '1500');
    const { runId, seconds } = await trainToEnd(120_000);
    timings['data-to-data with exact OT, 1,500 steps'] = seconds;
    const config = parseTrainingConfig((await api.call('training.get', { runId })).config);
    expect(config.source).toMatchObject({ source: 'workspace' });
    expect(config.coupling).toEqual({ ot: 'exact' });
    await studio.shot('data-to-data');
  }, 240_000);

  it('renames a run in the list, and a saved config loads back into the form', async () => {
    await section('train');
    const first = (await runIds())[0];
    await page.locator(`[data-run-id="${first}"]`).locator('xpath=..').getByTestId('run-rename').click();
    await page.getByTestId('run-rename-input').fill('my first moons');
    await page.getByTestId('run-rename-save').click();
    await page.locator(`[data-run-id="${first}"]`, { hasText: 'my first moons' }).waitFor(WAIT);
    expect((await api.call('training.list', {})).runs.find((r) => r.id === first)?.name).toBe('my first moons');
    await fill('steps', '1234');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('config-save').click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(parseTrainingConfig(saved).steps).toBe(1234);
    await fill('steps', '999');
    await page.getByTestId('config-file-input').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
    await waitUntil('the loaded steps', async () => (await field('steps').inputValue()) === '1234');
    await page.getByTestId('config-file-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "steps": 0 }') });
    await page.getByTestId('config-error').waitFor(WAIT);
    expect(await page.getByTestId('config-error').textContent()).toMatch(/Could not load broken\.json: .*steps: must be at least 1/);
    expect(await field('steps').inputValue()).toBe('1234');
  }, 60_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
