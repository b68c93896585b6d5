// End-to-end: a run exported from the Export section as a web page, served as static files, samples in Chromium the studio's own samples for the same seed.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../src-core/api/studio-api';
import { openStudio, type OpenStudio } from './browser';
import { sidesCsv } from './sides-csv';

const WAIT = { timeout: 20_000 };
/** A run small enough to finish in a few seconds on the CPU. */
const TINY_RUN = {
  data: { source: 'builtin', id: 'eight-gaussians', params: { count: 512 } },
  model: { family: 'mlp', hidden: [32, 32] },
  steps: 150,
  batchSize: 64,
  checkpointEvery: 50,
  seed: 3,
  backend: 'cpu',
};
/** A two-class MLP on a saved labelled set (its id filled in). */
const conditionalOn = (datasetId: string) => ({ ...TINY_RUN, data: { source: 'workspace', id: datasetId }, model: { family: 'mlp', hidden: [32, 32], classes: 2 } });
/** A handful of U-Net steps on a few digits: the weights barely move, which is all drawing them needs. */
const unetOn = (datasetId: string) => ({
  data: { source: 'workspace', id: datasetId, normalise: 'standardise' },
  model: { family: 'unet', channels: [8, 16], resBlocks: 1, groups: 8, timeEmbedding: { kind: 'sinusoidal', dim: 16 } },
  steps: 4,
  batchSize: 8,
  checkpointEvery: 2,
  seed: 2,
  backend: 'onnxruntime',
});
/** The content types a plain static server gives the page's files. */
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' };

/** A bare static file server over a folder on 127.0.0.1: what any web host does for the page, nothing more. */
async function serveFolder(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the static server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** Rows of the page's CSV download as numbers (the header names the columns). */
function parseCsv(text: string): { header: string[]; values: number[] } {
  const [header, ...rows] = text.trim().split('\n');
  return { header: header.split(','), values: rows.flatMap((r) => r.split(',').map(Number)) };
}

describe('web page export in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let api: StudioApi;
  let runId: string;
  let conditionalId: string;
  let imageId: string;
  let folder = '';
  const servers: Server[] = [];

  beforeAll(async () => {
    studio = await openStudio({ acceptDownloads: true, fullPage: true, screenshotPrefix: 'web-page-' });
    page = studio.page;
    api = studio.served.api;
    runId = (await api.call('training.start', { config: TINY_RUN, name: 'e2e web page run' })).runId;
    const { saved } = await api.call('datasets.import', { name: 'two sides', bytes: sidesCsv(600, 11), fileName: 'sides.csv', header: true, labelColumn: 'side' });
    if (!saved) throw new Error('the import saved nothing');
    conditionalId = (await api.call('training.start', { config: conditionalOn(saved.id), name: 'e2e conditional page run' })).runId;
    const digits = (await api.call('datasets.mnist', { count: 16, digits: [0, 1], name: 'e2e digits' })).id;
    imageId = (await api.call('training.start', { config: unetOn(digits), name: 'e2e digits page run' })).runId;
    const deadline = Date.now() + 80_000;
    for (const id of [runId, conditionalId, imageId]) {
      for (;;) {
        const run = (await api.call('training.list', {})).runs.find((r) => r.id === id);
        if (run?.status === 'completed') break;
        if (run?.status === 'failed' || Date.now() > deadline) throw new Error(`training did not complete: ${JSON.stringify(run)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }, 110_000);

  afterAll(async () => {
    for (const s of servers) await new Promise((done) => s.close(done));
    await studio?.close();
  }, 30_000);

  it('the Export section offers a web page and says which folder it wrote', async () => {
    await page.goto(studio.url, WAIT);
    await page.locator('nav [data-section="export"]').click();
    await page.locator(`[data-run-id="${runId}"]`).click();
    // one choice of what to write: a file, a web page or a Triton repository
    const format = page.getByRole('group', { name: 'Export as' });
    expect(await format.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.parentElement?.textContent?.trim()))).toEqual(['ONNX file', 'Web page', 'Triton model repository']);
    expect(await page.locator('#export-onnx').isChecked()).toBe(true);
    await page.locator('#export-triton').check();
    await page.locator('#export-web').check();
    expect(await page.locator('#export-triton').isChecked()).toBe(false);
    // a page always carries the sampler graph, so there is nothing to tick
    expect(await page.locator('#export-graph').count()).toBe(0);
    expect(await page.locator('label[for="export-name"]').textContent()).toBe('Folder name');
    await page.locator('#export-name').fill('share');
    await page.locator('#export-sampler').selectOption('heun');
    await page.locator('#export-steps').fill('16');
    await page.locator('[data-testid="export-run"]').click();
    folder = (await page.locator('[data-testid="export-path"]').textContent(WAIT))?.trim() ?? '';
    expect(folder).toBe(join(studio.served.workspace, 'runs', runId, 'exports', 'share'));
    expect(await page.locator('[data-testid="export-web-hint"]').textContent()).toContain('python3 -m http.server');
    await studio.shot('export');
  }, 40_000);

  it('served as static files, the page draws for a seed the samples the studio draws for it (within 1e-4)', async () => {
    const { url, server } = await serveFolder(folder);
    servers.push(server);
    const shared = await studio.context.newPage();
    const errors: string[] = [];
    shared.on('pageerror', (err) => errors.push(err.message));
    shared.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} ${msg.location().url}`);
    });
    await shared.goto(url, WAIT);
    await shared.locator('#status[data-state="ready"]').waitFor(WAIT);
    expect(await shared.locator('#about').textContent()).toContain('heun sampler, 16 steps on a uniform grid');
    expect(await shared.locator('#class-field').isHidden()).toBe(true);
    await shared.locator('#seed').fill('1234');
    await shared.locator('#count').fill('500');
    await shared.locator('#draw').click();
    await shared.locator('#status[data-state="done"]').waitFor(WAIT);
    expect(await shared.locator('#status').textContent()).toMatch(/^Drew 500 points from seed 1234 in /);
    // the scatter shows the points: a blank canvas would be all transparent
    const inked = await shared.evaluate<number>(`(() => {
      const c = document.getElementById('scatter');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })()`);
    expect(inked).toBeGreaterThan(1000);
    const [download] = await Promise.all([shared.waitForEvent('download', WAIT), shared.locator('#download').click()]);
    expect(download.suggestedFilename()).toBe('samples-seed1234-n500.csv');
    const csv = parseCsv(await readFile(await download.path(), 'utf8'));
    expect(csv.header).toEqual(['x0', 'x1']);

    const want = await api.call('sampling.run', { model: { kind: 'run', runId }, sampler: 'heun', steps: 16, grid: 'uniform', n: 500, seed: 1234, denoiseLast: false });
    expect(csv.values.length).toBe(want.samples.length);
    const scale = Math.max(1, ...Array.from(want.samples, Math.abs));
    let diff = 0;
    for (let i = 0; i < csv.values.length; i++) diff = Math.max(diff, Math.abs(csv.values[i] - want.samples[i]));
    expect(diff / scale).toBeLessThan(1e-4);
    // another seed draws other samples
    await shared.locator('#seed').fill('1235');
    await shared.locator('#draw').click();
    await shared.locator('#status[data-state="done"]', { hasText: 'seed 1235' }).waitFor(WAIT);
    await shared.screenshot({ path: join(import.meta.dirname, '../../test-artifacts/e2e/web-page-drawn.png') });
    expect(errors).toEqual([]);

    // a count past the page's limit is refused at its field, in words
    await shared.locator('#count').fill('0');
    await shared.locator('#draw').click();
    await shared.locator('#status[data-state="error"]').waitFor(WAIT);
    expect(await shared.locator('#status').textContent()).toBe("Points must be a whole number from 1 to 200000, got '0'.");
    await shared.close();
  }, 60_000);

  it("a class-conditional page draws the chosen class as the studio does with that label", async () => {
    const exported = await api.call('models.exportWeb', { runId: conditionalId, name: 'classes', samplerGraph: { sampler: 'euler', steps: 12 } });
    const { url, server } = await serveFolder(exported.path);
    servers.push(server);
    const shared = await studio.context.newPage();
    await shared.goto(url, WAIT);
    await shared.locator('#status[data-state="ready"]').waitFor(WAIT);
    expect(await shared.locator('#class-field').isVisible()).toBe(true);
    const names = await shared.locator('#class option').allTextContents();
    expect(names.slice().sort()).toEqual(['left', 'right']);
    await shared.locator('#class').selectOption('1');
    await shared.locator('#seed').fill('7');
    await shared.locator('#count').fill('300');
    await shared.locator('#draw').click();
    await shared.locator('#status[data-state="done"]').waitFor(WAIT);
    const [download] = await Promise.all([shared.waitForEvent('download', WAIT), shared.locator('#download').click()]);
    expect(download.suggestedFilename()).toBe('samples-seed7-n300-class1.csv');
    const got = parseCsv(await readFile(await download.path(), 'utf8')).values;
    const want = await api.call('sampling.run', { model: { kind: 'run', runId: conditionalId }, sampler: 'euler', steps: 12, grid: 'uniform', n: 300, seed: 7, labels: new Int32Array(300).fill(1), guidance: 1, denoiseLast: false });
    expect(got.length).toBe(want.samples.length);
    const scale = Math.max(1, ...Array.from(want.samples, Math.abs));
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - want.samples[i]));
    expect(diff / scale).toBeLessThan(1e-4);
    await shared.close();
  }, 40_000);

  it('an image model draws a grid of images, the studio\'s own for the seed', async () => {
    const exported = await api.call('models.exportWeb', { runId: imageId, name: 'digits', samplerGraph: { sampler: 'euler', steps: 4 } });
    const { url, server } = await serveFolder(exported.path);
    servers.push(server);
    const shared = await studio.context.newPage();
    await shared.goto(url, WAIT);
    await shared.locator('#status[data-state="ready"]').waitFor(WAIT);
    expect(await shared.locator('#count-label').textContent()).toBe('Images');
    await shared.locator('#seed').fill('5');
    await shared.locator('#count').fill('6');
    await shared.locator('#draw').click();
    await shared.locator('#status[data-state="done"]').waitFor(WAIT);
    expect(await shared.locator('#status').textContent()).toMatch(/^Drew 6 images from seed 5 in /);
    expect(await shared.locator('#images canvas').count()).toBe(6);
    expect(await shared.locator('#scatter').isHidden()).toBe(true);
    const [download] = await Promise.all([shared.waitForEvent('download', WAIT), shared.locator('#download').click()]);
    const csv = parseCsv(await readFile(await download.path(), 'utf8'));
    expect(csv.header).toHaveLength(28 * 28);
    const want = await api.call('sampling.run', { model: { kind: 'run', runId: imageId }, sampler: 'euler', steps: 4, grid: 'uniform', n: 6, seed: 5, denoiseLast: false });
    expect(csv.values.length).toBe(want.samples.length);
    const scale = Math.max(1, ...Array.from(want.samples, Math.abs));
    let diff = 0;
    for (let i = 0; i < csv.values.length; i++) diff = Math.max(diff, Math.abs(csv.values[i] - want.samples[i]));
    expect(diff / scale).toBeLessThan(1e-4);
    await shared.screenshot({ path: join(import.meta.dirname, '../../test-artifacts/e2e/web-page-images.png') });
    await shared.close();
  }, 60_000);

  it('says so clearly when the model cannot be loaded', async () => {
    const { url, server } = await serveFolder(folder);
    servers.push(server);
    const broken = await studio.context.newPage();
    await broken.route('**/model.onnx', (route) => route.fulfill({ status: 200, body: 'not a model' }));
    await broken.goto(url, WAIT);
    await broken.locator('#status[data-state="error"]').waitFor(WAIT);
    expect(await broken.locator('#status').textContent()).toMatch(/^The model could not be loaded: /);
    expect(await broken.locator('#draw').isDisabled()).toBe(true);
    await broken.close();
  }, 30_000);
});
