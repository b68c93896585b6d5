// End-to-end: a run exported from the Export section as a Triton model repository; the page lists what it wrote and how to serve it, and the files are on disk.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readOnnx } from '../../src-core/onnx/reader';
import { openStudio, type OpenStudio } from './browser';

const WAIT = { timeout: 20_000 };
/** A run small enough to finish in a few seconds on the CPU. */
const TINY_RUN = {
  data: { source: 'builtin', id: 'eight-gaussians', params: { count: 512 } },
  model: { family: 'mlp', hidden: [16, 16] },
  steps: 60,
  batchSize: 64,
  checkpointEvery: 30,
  seed: 3,
  backend: 'cpu',
};

describe('Triton export in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;
  let runId: string;

  beforeAll(async () => {
    studio = await openStudio({ fullPage: true, screenshotPrefix: 'triton-' });
    page = studio.page;
    const { api } = studio.served;
    runId = (await api.call('training.start', { config: TINY_RUN, name: 'e2e triton run' })).runId;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await api.call('training.list', {})).runs.find((r) => r.id === runId);
      if (run?.status === 'completed') break;
      if (run?.status === 'failed' || Date.now() > deadline) throw new Error(`training did not complete: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 90_000);

  afterAll(() => studio?.close(), 30_000);

  it('writes a repository with the network and the sampler graph, and shows its files and the command that serves it', async () => {
    await page.goto(studio.url, WAIT);
    await page.locator('nav [data-section="export"]').click();
    await page.locator(`[data-run-id="${runId}"]`).click();
    await page.locator('#export-triton').check();
    expect(await page.locator('label[for="export-name"]').textContent()).toBe('Folder name');
    await page.locator('#export-name').fill('serving');
    await page.locator('#export-triton-model').fill('moons');
    await page.locator('#export-triton-batch').fill('32');
    await page.locator('#export-graph').check();
    await page.locator('#export-steps').fill('8');
    await page.locator('[data-testid="export-run"]').click();

    const repo = join(studio.served.workspace, 'runs', runId, 'exports', 'serving');
    const shown = (await page.locator('[data-testid="export-path"]').textContent(WAIT))?.trim();
    expect(shown).toBe(repo);
    const listed = await page.locator('[data-testid="export-triton-files"] li').allTextContents();
    expect(listed.map((l) => l.trim().split(/\s/)[0])).toEqual(['moons/config.pbtxt', 'moons/1/model.onnx', 'moons-sampler/config.pbtxt', 'moons-sampler/1/model.onnx']);
    expect(await page.locator('[data-testid="export-triton"]').textContent()).toContain('holding 2 models');
    expect(await page.locator('[data-testid="export-triton-serve"]').textContent()).toBe(
      `docker run --rm -p 8000:8000 -v "${repo}:/models" nvcr.io/nvidia/tritonserver:24.12-py3 tritonserver --model-repository=/models`,
    );
    expect(await page.locator('[data-testid="export-verdict"]').textContent()).toContain('Triton model repository: models moons, moons-sampler; metadata parameterisation velocity');
    expect(await page.locator('[data-export-name="serving"]').textContent(WAIT)).toContain('Triton repository');
    await studio.shot('export');

    // on disk: the repository as the page says, the network batched with its reshaped t, the sampler graph unbatched
    expect(readdirSync(repo).sort()).toEqual(['moons', 'moons-sampler']);
    const config = readFileSync(join(repo, 'moons', 'config.pbtxt'), 'utf8');
    expect(config).toContain('name: "moons"');
    expect(config).toContain('max_batch_size: 32');
    expect(config).toMatch(/name: "t"\n\s+data_type: TYPE_FP32\n\s+dims: \[ 1 \]\n\s+reshape \{\n\s+shape: \[ \]/);
    expect(readFileSync(join(repo, 'moons-sampler', 'config.pbtxt'), 'utf8')).toContain('max_batch_size: 0');
    const net = readOnnx(new Uint8Array(readFileSync(join(repo, 'moons', '1', 'model.onnx'))));
    expect(net.inputs.map((v) => v.name)).toEqual(['x', 't']);
    expect(config).toContain(`string_value: "${net.metadata['studio.run_id']}"`);

    // the same export again is refused in the form's words until Replace is ticked
    await page.locator('[data-testid="export-run"]').click();
    expect(await page.locator('[data-testid="export-error"]').textContent(WAIT)).toContain("has a model 'moons' already: choose another name, or tick");
    await page.locator('#export-overwrite').check();
    await page.locator('[data-testid="export-run"]').click();
    await page.locator('[data-testid="export-triton-files"]').waitFor(WAIT);
    expect(readdirSync(repo).sort()).toEqual(['moons', 'moons-sampler']);
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
