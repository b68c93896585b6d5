// A studio for the Lab's tests: served over a temp workspace like serveStudio's, with the built Lab worker so computations run in their own process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, serveStudio, until, type ServedStudio } from '../e2e/browser';

/** The built Lab worker (npm run build makes it). */
export const LAB_WORKER = join(ROOT, 'out/main/lab-worker.js');

/** Throws what to do when the Lab worker has not been built. */
export function checkLabWorker(): void {
  if (!existsSync(LAB_WORKER)) throw new Error(`${LAB_WORKER} is missing: build first with \`npm run build\` (npm test does).`);
}

/** The headless server on 127.0.0.1 over a fresh workspace, its Lab computing in the built worker process. */
export async function serveLabStudio(): Promise<ServedStudio> {
  checkLabWorker();
  return serveStudio({ lab: { workerPath: LAB_WORKER } });
}

/** Waits until the element's data-version has moved past `after` (a computation landed) and its run bar says done. */
export async function landed(page: Page, selector: string, after: number, timeout = 30_000): Promise<number> {
  const read = `Number(document.querySelector(${JSON.stringify(selector)})?.getAttribute('data-version') ?? -1)`;
  await until(page, `${read} > ${after}`, timeout);
  const status = await page.locator(`${selector} [data-testid="lab-run-bar"]`).getAttribute('data-status');
  if (status === 'failed') throw new Error(`the computation failed: ${await page.locator(`${selector} [data-testid="lab-status"]`).textContent()}`);
  return Number(await page.evaluate(read));
}

/** Sets a range input to a value and fires its input event, as dragging does. */
export async function setRange(page: Page, selector: string, value: number): Promise<void> {
  await page.locator(selector).fill(String(value));
}
