// Charts read back as pictures: a chart's canvases as pixels, ink picked by colour, placed in data units and summarised.
import { decode } from 'fast-png';
import type { Page } from 'playwright-core';

/** A chart's canvases composited in order: RGBA rows as painted over a transparent ground (alpha = how much was painted). */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
  /** Canvas pixels per CSS pixel. */
  readonly scale: number;
}

/** One flag per pixel of a picture: 1 where the ink of interest is. */
export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly on: Uint8Array;
}

/** A colour as red, green, blue in 0..255. */
export type Rgb = readonly [number, number, number];

/** Axis ranges in data units. */
interface Extent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Margins of a chart's plot area in CSS pixels (an ECharts grid). */
interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A plot area in canvas pixels (right and bottom exclusive) and, where known, the data range it shows. */
export interface Plot {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly extent?: Extent;
}

/** SampleCloudChart.vue's grid margins. */
const CLOUD_GRID: Margins = { left: 40, right: 12, top: 10, bottom: 26 };

/**
 * Page script: after two frames (so pending draws have landed), every canvas under the element drawn in order onto one,
 * as a PNG data URL, with the canvas-to-CSS scale. ECharts may put a layer on a canvas of its own; all of them are seen.
 */
const COMPOSITE = (selector: string) => `new Promise((done, fail) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const layers = el ? [...el.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0) : [];
  if (layers.length === 0) return fail(new Error('no drawn canvas under ' + ${JSON.stringify(selector)}));
  const out = document.createElement('canvas');
  out.width = layers[0].width;
  out.height = layers[0].height;
  const ctx = out.getContext('2d');
  for (const c of layers) ctx.drawImage(c, 0, 0, out.width, out.height);
  done({ url: out.toDataURL('image/png'), scale: out.width / Math.max(1, layers[0].clientWidth) });
})))`;

/** The pixels a chart shows now: its canvases composited in the page and decoded here. */
export async function grabChart(page: Page, selector: string): Promise<Picture> {
  const { url, scale } = (await page.evaluate(COMPOSITE(selector))) as { url: string; scale: number };
  const png = decode(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  if (png.channels !== 4 || png.depth !== 8) throw new Error(`expected 8-bit RGBA from the canvas, got ${png.channels} channels of ${png.depth} bits`);
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), scale };
}

/** A CSS colour as '#rgb', '#rrggbb' or 'rgb(r, g, b)'. */
export function parseColour(css: string): Rgb {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(s);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour: ${JSON.stringify(css)}`);
}

/** A theme colour (CSS custom property) as the element sees it. */
export async function themeColour(page: Page, selector: string, name: string): Promise<Rgb> {
  const css = (await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(name)})`)) as string;
  return parseColour(css);
}

/** The whole picture as a plot area (no data range). */
function whole(pic: Picture): Plot {
  return { x0: 0, y0: 0, x1: pic.width, y1: pic.height };
}

/** The plot area inside the grid margins (CSS pixels), showing the extent where one is given. */
export function plotOf(pic: Picture, margins: Margins, extent?: Extent): Plot {
  const s = pic.scale;
  return { x0: Math.round(margins.left * s), y0: Math.round(margins.top * s), x1: Math.round(pic.width - margins.right * s), y1: Math.round(pic.height - margins.bottom * s), extent };
}

/**
 * Pixels painted in about the colour (Euclidean RGB distance at most tolerance, alpha at least minAlpha) inside the
 * area. Painted over a transparent ground a pixel keeps its own colour, so translucent marks still match their hue.
 */
export function colourMask(pic: Picture, colour: Rgb, opts: { tolerance?: number; minAlpha?: number; within?: Plot } = {}): Mask {
  const { tolerance = 60, minAlpha = 64, within = whole(pic) } = opts;
  const on = new Uint8Array(pic.width * pic.height);
  const t2 = tolerance * tolerance;
  for (let y = within.y0; y < within.y1; y++) {
    for (let x = within.x0; x < within.x1; x++) {
      const i = y * pic.width + x;
      const p = 4 * i;
      if (pic.rgba[p + 3] < minAlpha) continue;
      const dr = pic.rgba[p] - colour[0];
      const dg = pic.rgba[p + 1] - colour[1];
      const db = pic.rgba[p + 2] - colour[2];
      if (dr * dr + dg * dg + db * db <= t2) on[i] = 1;
    }
  }
  return { width: pic.width, height: pic.height, on };
}

/** How many pixels the mask holds. */
export function countInk(mask: Mask): number {
  let n = 0;
  for (const v of mask.on) n += v;
  return n;
}

function sameSize(a: Mask, b: Mask): void {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`masks of different sizes: ${a.width}x${a.height} and ${b.width}x${b.height}`);
}

/**
 * Intersection over union of two masks of one size: 1 for the same pixels, 0 for none in common (1 when both are
 * empty). Pixels set in skip are left out (where something else is drawn on top).
 */
function overlap(a: Mask, b: Mask, skip?: Mask): number {
  sameSize(a, b);
  if (skip) sameSize(a, skip);
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.on.length; i++) {
    if (skip?.on[i]) continue;
    both += a.on[i] & b.on[i];
    either += a.on[i] | b.on[i];
  }
  return either === 0 ? 1 : both / either;
}

/** The mask grown by r pixels in every direction (a square neighbourhood), or the union with others of one size. */
function grow(mask: Mask, r: number, ...others: Mask[]): Mask {
  const { width: w, height: h } = mask;
  const on = new Uint8Array(mask.on.length);
  for (const m of [mask, ...others]) {
    sameSize(mask, m);
    for (let i = 0; i < m.on.length; i++) {
      if (!m.on[i]) continue;
      const x = i % w;
      const y = (i - x) / w;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) on.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
    }
  }
  return { width: w, height: h, on };
}

/** Data coordinates of a pixel's centre in the plot. */
function toData(plot: Plot, px: number, py: number): [number, number] {
  const e = plot.extent;
  if (!e) throw new Error('the plot has no data range');
  return [e.xMin + ((px + 0.5 - plot.x0) / (plot.x1 - plot.x0)) * (e.xMax - e.xMin), e.yMax - ((py + 0.5 - plot.y0) / (plot.y1 - plot.y0)) * (e.yMax - e.yMin)];
}

/** Calls f with the data coordinates of every mask pixel inside the plot. */
function eachInData(mask: Mask, plot: Plot, f: (x: number, y: number) => void): void {
  for (let py = plot.y0; py < plot.y1; py++) {
    for (let px = plot.x0; px < plot.x1; px++) {
      if (mask.on[py * mask.width + px]) f(...toData(plot, px, py));
    }
  }
}

/** Share of the mask's pixels in the plot whose centres lie in the data rectangle (0 when there are none). */
export function shareInside(mask: Mask, plot: Plot, rect: Extent): number {
  let inside = 0;
  let all = 0;
  eachInData(mask, plot, (x, y) => {
    all++;
    if (x >= rect.xMin && x <= rect.xMax && y >= rect.yMin && y <= rect.yMax) inside++;
  });
  return all === 0 ? 0 : inside / all;
}

/** Number of the mask's pixels in the plot within distance r (data units) of a point. */
export function countNear(mask: Mask, plot: Plot, at: readonly [number, number], r: number): number {
  let near = 0;
  eachInData(mask, plot, (x, y) => {
    if ((x - at[0]) ** 2 + (y - at[1]) ** 2 <= r * r) near++;
  });
  return near;
}

/** Share of the mask's pixels in the plot within distance r (data units) of one of the centres. */
export function shareNear(mask: Mask, plot: Plot, centres: readonly (readonly [number, number])[], r: number): number {
  let near = 0;
  let all = 0;
  eachInData(mask, plot, (x, y) => {
    all++;
    if (centres.some(([cx, cy]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r)) near++;
  });
  return all === 0 ? 0 : near / all;
}

/** First and last pixel column holding ink; null for an empty mask. */
export function columnSpan(mask: Mask): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < mask.on.length; i++) {
    if (!mask.on[i]) continue;
    const x = i % mask.width;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo > hi ? null : [lo, hi];
}

/** Median pixel row of the ink in columns x0..x1 (inclusive; rows grow downwards); NaN when there is none. */
export function medianRow(mask: Mask, x0: number, x1: number): number {
  const rows: number[] = [];
  for (let y = 0; y < mask.height; y++) {
    for (let x = Math.max(0, x0); x <= Math.min(mask.width - 1, x1); x++) if (mask.on[y * mask.width + x]) rows.push(y);
  }
  if (rows.length === 0) return NaN;
  return rows[Math.floor(rows.length / 2)]; // pushed row by row: already sorted
}

/** SampleCloudChart.vue's colour for the highlighted paths and their heads, in the light theme. */
const PATH_LIGHT: Rgb = [0xc2, 0x18, 0x5b];

/** What a Sample panel shows: its picture, its plot in data units, the particle cloud's ink and what is drawn over it. */
export interface CloudView {
  readonly picture: Picture;
  readonly plot: Plot;
  /** The cloud's ink: the theme's point colour. */
  readonly points: Mask;
  /** Pixels drawn over the cloud: the highlighted paths and heads, grown by 2 px to take their white rims and soft edges. */
  readonly cover: Mask;
}

/** Reads a Sample panel ('[data-panel="ode"]' or '"sde"') off the screen: the cloud's ink inside its plot, placed by the drawn axis ranges. */
export async function readCloud(page: Page, panel: string): Promise<CloudView> {
  const picture = await grabChart(page, panel);
  const [xMin, xMax, yMin, yMax] = ((await page.locator(panel).getAttribute('data-extent')) ?? '').split(',').map(Number);
  if (![xMin, xMax, yMin, yMax].every(Number.isFinite)) throw new Error(`${panel} has no drawn axis ranges (data-extent)`);
  // the plot area the panel says it drew (CSS pixels: left, top, right, bottom), else its usual grid margins
  const drawn = ((await page.locator(panel).getAttribute('data-plot')) ?? '').split(',').map(Number);
  const margins = drawn.length === 4 && drawn.every(Number.isFinite) ? { left: drawn[0], top: drawn[1], right: picture.width / picture.scale - drawn[2], bottom: picture.height / picture.scale - drawn[3] } : CLOUD_GRID;
  const plot = plotOf(picture, margins, { xMin, xMax, yMin, yMax });
  const points = colourMask(picture, await themeColour(page, panel, '--point'), { within: plot });
  const cover = grow(colourMask(picture, PATH_LIGHT, { within: plot, tolerance: 90, minAlpha: 32 }), 2);
  return { picture, plot, points, cover };
}

/** How far two views draw their clouds on the same pixels (1: the same picture of points), leaving out what covers either. */
export function cloudOverlap(a: CloudView, b: CloudView): number {
  return overlap(a.points, b.points, grow(a.cover, 0, b.cover));
}
