// Reading a Sample panel back as a picture: where its particle colour is painted, in the panel's data units.
import type { Page } from 'playwright-core';

/** The pixels of a panel painted in the particle colour, with what maps data units onto them. */
export interface CloudInk {
  readonly width: number;
  readonly height: number;
  /** 1 where the pixel is particle ink. */
  readonly on: Uint8Array;
  /** Axis ranges drawn: xMin, xMax, yMin, yMax. */
  readonly extent: readonly number[];
  /** The plot area in canvas pixels: left, top, right, bottom. */
  readonly plot: readonly number[];
}

/**
 * Page script: every canvas under the panel composited after two frames, and the pixels whose colour is the theme's
 * particle colour blended over the light ground (blue well above red and green): the paths, density, data and arrows
 * are drawn in other colours.
 */
const READ = (selector: string) => `new Promise((done, fail) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const layers = el ? [...el.querySelectorAll('canvas')].filter((c) => c.width > 0) : [];
  if (!layers.length) return fail(new Error('nothing drawn under ' + ${JSON.stringify(selector)}));
  const out = document.createElement('canvas');
  out.width = layers[0].width;
  out.height = layers[0].height;
  const ctx = out.getContext('2d');
  for (const c of layers) ctx.drawImage(c, 0, 0, out.width, out.height);
  const { data } = ctx.getImageData(0, 0, out.width, out.height);
  const on = [];
  for (let i = 0; i < data.length; i += 4) on.push(data[i + 3] > 100 && data[i + 2] - data[i] > 60 && data[i + 2] - data[i + 1] > 40 ? 1 : 0);
  const scale = out.width / el.clientWidth;
  done({ width: out.width, height: out.height, on, extent: el.dataset.extent.split(',').map(Number), plot: el.dataset.plot.split(',').map((v) => Number(v) * scale) });
})))`;

/** Reads the particle ink of a panel ('[data-panel="ode"]') as drawn now. */
export async function cloudInk(page: Page, selector: string): Promise<CloudInk> {
  const r = (await page.evaluate(READ(selector))) as Omit<CloudInk, 'on'> & { on: number[] };
  return { ...r, on: Uint8Array.from(r.on) };
}

/** Ink pixels within radius (data units) of a point. */
export function inkNear(ink: CloudInk, at: readonly [number, number], radius: number): number {
  const [xMin, xMax, yMin, yMax] = ink.extent;
  const [left, top, right, bottom] = ink.plot;
  const sx = (right - left) / (xMax - xMin);
  const sy = (bottom - top) / (yMax - yMin);
  const cx = left + (at[0] - xMin) * sx;
  const cy = top + (yMax - at[1]) * sy;
  let n = 0;
  for (let y = Math.max(0, Math.floor(cy - radius * sy)); y <= Math.min(ink.height - 1, Math.ceil(cy + radius * sy)); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius * sx)); x <= Math.min(ink.width - 1, Math.ceil(cx + radius * sx)); x++) {
      if (ink.on[y * ink.width + x] && ((x - cx) / sx) ** 2 + ((y - cy) / sy) ** 2 <= radius * radius) n++;
    }
  }
  return n;
}
