// End-to-end: deleting runs from the Train section's run list in Chromium: Keep leaves the run, Delete (confirmed) stops a training run and removes it from the page, the API and the disk.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { runDir } from '../../src-main/runs';
import { openStudio, sectionUrl, waitUntil, type OpenStudio } from './browser';

const WAIT = { timeout: 15_000 };
/** Still training when it is deleted. */
const LONG: TrainingConfigInput = { model: { family: 'mlp', hidden: [32, 32] }, steps: 1_000_000, batchSize: 64, checkpointEvery: 100, seed: 1 };
const SHORT: TrainingConfigInput = { ...LONG, steps: 200 };

describe('deleting a run in the page', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ screenshotPrefix: 'run-delete-' });
    page = studio.page;
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
  });

  const listed = () => page.locator('[data-testid="run-list"] [data-run-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''));
  const row = (id: string) => page.locator(`[data-testid="run-list"] li:has([data-run-id="${id}"])`);

  it('asks first, keeps the run on Keep, and on Delete stops its training and removes it everywhere', async () => {
    const { api, workspace } = studio.served;
    const kept = (await api.call('training.start', { config: SHORT, name: 'kept run' })).runId;
    const doomed = (await api.call('training.start', { config: LONG, name: 'doomed run' })).runId;
    await page.goto(sectionUrl(studio.url, 'train'), WAIT);
    await waitUntil('both runs in the list', async () => (await listed()).length === 2);

    // the first click only asks; Keep leaves everything as it was
    await row(doomed).getByTestId('run-delete').click();
    const confirm = row(doomed).getByTestId('run-delete-confirm');
    await confirm.waitFor(WAIT);
    expect(await confirm.textContent()).toMatch(/Delete doomed run with its checkpoints, metrics and exports\? Its training stops first\./);
    await studio.shot('confirm');
    await row(doomed).getByTestId('run-delete-no').click();
    await confirm.waitFor({ state: 'detached', ...WAIT });
    expect((await api.call('training.list', {})).runs.map((r) => r.id).sort()).toEqual([kept, doomed].sort());

    // Delete: gone from the page, from the API's list and from the disk, while the other run stays
    await row(doomed).getByTestId('run-delete').click();
    await row(doomed).getByTestId('run-delete-yes').click();
    await waitUntil('the run to leave the list', async () => !(await listed()).includes(doomed));
    expect(await listed()).toEqual([kept]);
    expect((await api.call('training.list', {})).runs.map((r) => r.id)).toEqual([kept]);
    expect(existsSync(runDir(workspace, doomed))).toBe(false);
    await expect(api.call('training.get', { runId: doomed })).rejects.toMatchObject({ code: 'not-found' });
    expect(await page.locator('[data-testid="run-list"] [role="alert"]').count()).toBe(0);
    await studio.shot('deleted');
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
