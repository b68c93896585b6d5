// Reading the Lab's pictures back: a PlotCanvas's picture placed in data units by its data-extent and data-plot, and where its ink of one colour lies.
import type { Page } from 'playwright-core';
import { colourMask, grabChart, parseColour, plotOf, type Mask, type Picture, type Plot, type Rgb } from '../e2e/pixels';

/** A Lab picture: its pixels and its plot area in data units. */
interface LabPicture {
  readonly picture: Picture;
  readonly plot: Plot;
}

/** Reads a PlotCanvas off the screen, placed by the extent and plot area it says it drew. */
export async function readPlot(page: Page, selector: string): Promise<LabPicture> {
  const picture = await grabChart(page, selector);
  const el = page.locator(selector);
  const [xMin, xMax, yMin, yMax] = ((await el.getAttribute('data-extent')) ?? '').split(',').map(Number);
  const [left, top, right, bottom] = ((await el.getAttribute('data-plot')) ?? '').split(',').map(Number);
  if (![xMin, xMax, yMin, yMax, left, top, right, bottom].every(Number.isFinite)) throw new Error(`${selector} says nothing of what it drew`);
  const margins = { left, top, right: picture.width / picture.scale - right, bottom: picture.height / picture.scale - bottom };
  return { picture, plot: plotOf(picture, margins, { xMin, xMax, yMin, yMax }) };
}

/** The ink of a colour ('#rrggbb') inside the plot area. */
export function inkOf(p: LabPicture, colour: string | Rgb, tolerance = 40): Mask {
  return colourMask(p.picture, typeof colour === 'string' ? parseColour(colour) : colour, { within: p.plot, tolerance });
}

/** Data x of a pixel column's centre. */
function xOf(plot: Plot, px: number): number {
  const e = plot.extent!;
  return e.xMin + ((px + 0.5 - plot.x0) / (plot.x1 - plot.x0)) * (e.xMax - e.xMin);
}

/** Data y of a pixel row's centre. */
function yOf(plot: Plot, py: number): number {
  const e = plot.extent!;
  return e.yMax - ((py + 0.5 - plot.y0) / (plot.y1 - plot.y0)) * (e.yMax - e.yMin);
}

/** Mean data x and y of the ink, and how many pixels it holds. */
export function inkCentroid(mask: Mask, p: LabPicture): { x: number; y: number; count: number } {
  let sx = 0;
  let sy = 0;
  let count = 0;
  for (let py = p.plot.y0; py < p.plot.y1; py++) {
    for (let px = p.plot.x0; px < p.plot.x1; px++) {
      if (!mask.on[py * mask.width + px]) continue;
      sx += xOf(p.plot, px);
      sy += yOf(p.plot, py);
      count++;
    }
  }
  return { x: sx / count, y: sy / count, count };
}

/** Data x of the column whose ink reaches highest (a curve's peak), and that height in data units. */
export function inkPeak(mask: Mask, p: LabPicture): { x: number; y: number } {
  for (let py = p.plot.y0; py < p.plot.y1; py++) {
    const cols: number[] = [];
    for (let px = p.plot.x0; px < p.plot.x1; px++) if (mask.on[py * mask.width + px]) cols.push(px);
    if (cols.length) return { x: xOf(p.plot, cols[Math.floor(cols.length / 2)]), y: yOf(p.plot, py) };
  }
  return { x: NaN, y: NaN };
}

/** Per pixel column of the plot, the data y of its topmost ink (NaN where the column holds none). */
export function inkTopline(mask: Mask, p: LabPicture): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let px = p.plot.x0; px < p.plot.x1; px++) {
    let top = NaN;
    for (let py = p.plot.y0; py < p.plot.y1; py++) {
      if (mask.on[py * mask.width + px]) {
        top = yOf(p.plot, py);
        break;
      }
    }
    xs.push(xOf(p.plot, px));
    ys.push(top);
  }
  return { xs, ys };
}
