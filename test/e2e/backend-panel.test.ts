// End-to-end: the Train section's backend panel before any run: what the host probed, auto's pick, sampling, and a forced choice that cannot run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probeHere, reasonKind } from '../backends/installed-backends';
import { openStudio, type OpenStudio } from './browser';

const WAIT = { timeout: 20_000 };
const PANEL = '[data-testid="backend-panel"]';

describe('Backend panel in Chromium', () => {
  let studio: OpenStudio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1500, height: 1000 }, waitFor: '[data-dataset-id="two-moons"]', timeout: WAIT.timeout, screenshotPrefix: 'backend-panel-' });
    page = studio.page;
  }, 60_000);

  afterAll(() => studio?.close(), 30_000);

  it('lists every backend with its device or its reason and fix, marks what auto picks, and says what sampling runs on', async () => {
    // what trains here, found as the probe finds it: the panel must show exactly that
    const found = await probeHere();
    const auto = found.find((b) => b.available)?.name ?? null;
    await page.locator('nav [data-section="train"]').click();
    const rows = page.locator(`${PANEL} [data-backend-row]`);
    await rows.nth(found.length - 1).waitFor(WAIT);
    expect(await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-backend-row')}:${e.getAttribute('data-available')}`))).toEqual(found.map((b) => `${b.name}:${b.available}`));
    expect(await page.locator(PANEL).getAttribute('data-auto')).toBe(auto);
    expect(await page.locator('[data-testid="backend-auto"]').textContent()).toMatch(new RegExp(`A run on auto trains on ${auto}`));
    for (const b of found) {
      const row = page.locator(`[data-backend-row="${b.name}"]`);
      if (b.available) expect(await row.textContent()).toContain(b.device);
      else {
        expect(await row.textContent()).toContain(`cannot run: ${reasonKind(b.reason)}`);
        expect(await row.locator('.fix').count()).toBe(1);
      }
    }
    expect(await page.locator(`[data-backend-row="${auto}"] .badge`).textContent()).toBe('auto');
    const sampling = page.locator('[data-testid="sampling-device"]');
    expect(await sampling.getAttribute('data-available')).toBe('true');
    expect(await sampling.textContent()).toMatch(/ONNX Runtime on CPU, \d+ threads?/);
    expect(await page.locator('[data-testid="backend-forced-problem"]').count()).toBe(0);
    // without ONNX Runtime's CUDA provider (this machine) its row says so with the setup step, and sampling says it stays on the CPU
    const cuda = found.find((b) => b.name === 'onnxruntime-cuda');
    if (cuda && !cuda.available && cuda.reason === "ONNX Runtime's CUDA provider is not installed") {
      const row = await page.locator('[data-backend-row="onnxruntime-cuda"]').textContent();
      expect(row).toContain("onnxruntime-cuda cannot run: ONNX Runtime's CUDA provider is not installed");
      expect(row).toContain('npm run setup:cuda');
      expect(await sampling.textContent()).toContain("Sampling runs on the CPU: ONNX Runtime's CUDA provider is not installed.");
    }
    await studio.shot('before-run');
  }, 40_000);

  it('flags a forced backend that cannot run before anything starts (where one cannot), never one that can', async () => {
    const found = await probeHere();
    const flag = page.locator('[data-testid="backend-forced-problem"]');
    const broken = found.find((b) => !b.available);
    if (broken && !broken.available) {
      await page.locator('#tf-backend').selectOption(broken.name);
      await flag.waitFor(WAIT);
      expect(await flag.getAttribute('data-forced')).toBe(broken.name);
      expect(await flag.getAttribute('role')).toBe('alert');
      expect(await flag.textContent()).toContain(`${broken.name} cannot run here.`);
      expect(await flag.textContent()).toContain(reasonKind(broken.reason));
      await studio.shot('forced');
    }
    for (const ok of found.filter((b) => b.available)) {
      await page.locator('#tf-backend').selectOption(ok.name);
      await flag.waitFor({ state: 'detached', ...WAIT });
    }
    await page.locator('#tf-backend').selectOption('auto');
  }, 30_000);

  it('logged no errors and raised no uncaught exceptions in the page', () => {
    expect(studio.pageErrors).toEqual([]);
  });
});
