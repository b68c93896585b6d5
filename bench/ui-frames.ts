// UI frame times in Chromium: the studio idle, while a run trains (live loss chart, previews) and while the Sample scrubber plays, against their goals.
// Run: npx jiti bench/ui-frames.ts [--seconds 3] [--rounds 3] (after npm run build: it serves out/renderer and the built training worker)
import type { Page } from 'playwright-core';
import { checkPrerequisites, launchChromium, serveStudio } from '../test/e2e/browser';
import { loadAverage } from './lib/common';
import { flagValue } from './lib/unet-bench';

const args = process.argv.slice(2);
/** Length of one measuring window. */
const seconds = Number(flagValue(args, 'seconds', '3'));
/** Windows per state; their frames are pooled. */
const rounds = Number(flagValue(args, 'rounds', '3'));
const WAIT = { timeout: 30_000 };
const CONTROLS = '[data-testid="run-controls"]';
/** Sampler steps for the scrubber: at 60 ms a step, play lasts 6 s, longer than a window. */
const PLAY_STEPS = 100;

/** What each state is and its goal: the 95th percentile of frame intervals in ms (null: reported, no goal set). */
const STATES = [
  { id: 'idle', label: 'idle (Train section, nothing running)', goal: 20 },
  { id: 'training', label: 'training (two moons; live loss chart and previews)', goal: 50 },
  { id: 'playing', label: 'Sample scrubber playing (ideal model, 2,000 particles per panel)', goal: null },
] as const;

/** Frame intervals and long tasks seen in one window. */
interface Window {
  deltas: number[];
  longTasks: number[];
}

/** Page script: requestAnimationFrame intervals (ms) over ms milliseconds and the durations of the page's long tasks. */
const FRAMES = (ms: number) => `new Promise((done) => {
  const deltas = [];
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  let last = -1;
  let end = 0;
  const tick = (now) => {
    if (last < 0) end = now + ${ms};
    else deltas.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(tick);
    else {
      observer.disconnect();
      done({ deltas, longTasks });
    }
  };
  requestAnimationFrame(tick);
})`;

const measure = (page: Page) => page.evaluate(FRAMES(seconds * 1000)) as Promise<Window>;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Waits until a page script is truthy (page.evaluate: the page's CSP forbids the eval of waitForFunction). */
async function until(page: Page, what: string, expression: string, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const statusIs = (status: string) => `document.querySelector(${JSON.stringify(CONTROLS)})?.getAttribute('data-status') === ${JSON.stringify(status)}`;

async function idle(page: Page): Promise<Window[]> {
  await page.locator('nav [data-section="train"]').click();
  await page.locator('[data-testid="train-form"]').waitFor(WAIT);
  await page.waitForTimeout(500);
  const out: Window[] = [];
  for (let r = 0; r < rounds; r++) out.push(await measure(page));
  return out;
}

async function training(page: Page): Promise<Window[]> {
  // long enough to outlast the windows; cancelled after them
  await page.locator('#tf-steps').fill('20000');
  await page.locator('#tf-steps').dispatchEvent('change');
  await page.locator('[data-testid="section-train"]').focus();
  await page.keyboard.press('Control+Enter');
  // a config the form finds costly asks once more before it starts
  await page.waitForTimeout(300);
  if (await page.locator('[data-testid="train-costly"]').count()) await page.keyboard.press('Control+Enter');
  await until(page, 'the run to train', statusIs('running'));
  await until(page, 'the loss chart to fill', `Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-point-count')) >= 5`);
  const out: Window[] = [];
  for (let r = 0; r < rounds; r++) {
    if (!(await page.evaluate(statusIs('running')))) throw new Error('the run stopped before the windows were measured: raise its steps');
    out.push(await measure(page));
  }
  await page.locator('[data-testid="train-cancel"]').click();
  await until(page, 'the run to stop', `!(${statusIs('running')})`);
  return out;
}

async function playing(page: Page): Promise<Window[]> {
  await page.locator('nav [data-section="sample"]').click();
  await page.locator('#sample-model option[value="oracle:eight-gaussians"]').waitFor({ ...WAIT, state: 'attached' });
  await page.locator('#sample-model').selectOption('oracle:eight-gaussians');
  await page.locator('#sample-steps').fill(String(PLAY_STEPS));
  await page.locator('[data-testid="sample-run"]').click();
  await page.locator('[data-testid="section-sample"][data-compared="oracle:eight-gaussians"]').waitFor({ timeout: 60_000 });
  await until(page, 'the scrubber to span the run', `document.querySelector('#step-slider')?.max === ${JSON.stringify(String(PLAY_STEPS))}`);
  const toggle = page.locator('[data-testid="play-toggle"]');
  const out: Window[] = [];
  for (let r = 0; r < rounds; r++) {
    await page.locator('#step-slider').fill('0');
    await page.locator('[data-panel="ode"][data-step="0"]').waitFor(WAIT);
    await toggle.click();
    out.push(await measure(page));
    if ((await toggle.textContent())?.includes('Pause')) await toggle.click();
    else throw new Error('play ended before the window did: raise PLAY_STEPS');
  }
  return out;
}

/** One table row: pooled frames of the windows against the goal. */
function row(state: (typeof STATES)[number], windows: Window[], load: number): string {
  const deltas = windows.flatMap((w) => w.deltas).sort((a, b) => a - b);
  const long = windows.flatMap((w) => w.longTasks);
  const p95 = quantile(deltas, 0.95);
  const goal = state.goal === null ? 'none set' : `p95 <= ${state.goal} ms`;
  const met = state.goal === null ? '-' : p95 <= state.goal ? 'yes' : 'NO';
  const cells = [state.label, deltas.length, quantile(deltas, 0.5).toFixed(1), p95.toFixed(1), deltas[deltas.length - 1].toFixed(1), `${long.length} (${Math.max(0, ...long).toFixed(0)})`, load.toFixed(2), goal, met];
  return `| ${cells.join(' | ')} |`;
}

checkPrerequisites();
const studio = await serveStudio();
const browser = await launchChromium();
try {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 1000 }, colorScheme: 'light' })).newPage();
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  await page.goto(studio.server.url, WAIT);
  await page.locator('[data-point-count="10000"][data-dataset="two-moons"]').waitFor(WAIT);
  const measures = { idle, training, playing };
  const rows: string[] = [];
  for (const state of STATES) {
    process.stderr.write(`measuring ${state.id}: ${rounds} windows of ${seconds} s\n`);
    const load = loadAverage()[0];
    rows.push(row(state, await measures[state.id](page), load));
  }
  console.log(`## UI frame times (headless Chromium ${browser.version()}, 1500x1000; ${rounds} windows of ${seconds} s per state, frames pooled)\n`);
  console.log('| state | frames | median ms | p95 ms | max ms | long tasks (longest ms) | load (1 min) | goal | met |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nA frame is the interval between two requestAnimationFrame callbacks (16.7 ms at 60 Hz). On a shared machine the load,`);
  console.log('given as the 1-minute average when each state began, slows the page as much as its own work does.');
} finally {
  await browser.close();
  await studio.close();
}
