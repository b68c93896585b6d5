// Drawing for the Lab's pictures on a plain 2-D canvas: a plot area mapped to data units, axes with round ticks, lines, bars, points, images and arrows.

/** Axis ranges in data units. */
export interface Extent {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Room around the plot area (CSS pixels). */
export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** A plot area on a canvas context (CSS pixels) showing an extent. */
export interface Frame {
  readonly ctx: CanvasRenderingContext2D;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly extent: Extent;
  /** Canvas x of a data x. */
  x(v: number): number;
  /** Canvas y of a data y (up is up). */
  y(v: number): number;
  /** A theme colour by its CSS custom property. */
  css(name: string): string;
}

/** Margins the Lab's pictures use unless they say otherwise. */
export const DEFAULT_MARGINS: Margins = { left: 44, right: 12, top: 10, bottom: 26 };

/** The frame of a width x height canvas area with the margins, showing the extent. */
export function makeFrame(ctx: CanvasRenderingContext2D, width: number, height: number, margins: Margins, extent: Extent, css: (name: string) => string): Frame {
  const left = margins.left;
  const top = margins.top;
  const right = width - margins.right;
  const bottom = height - margins.bottom;
  const sx = (right - left) / (extent.xMax - extent.xMin || 1);
  const sy = (bottom - top) / (extent.yMax - extent.yMin || 1);
  return { ctx, left, top, right, bottom, extent, x: (v) => left + (v - extent.xMin) * sx, y: (v) => bottom - (v - extent.yMin) * sy, css };
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  // multiples of the step, rounded to 12 digits so 3 x 0.2 reads 0.6
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) out.push(i === 0 ? 0 : Number((i * step).toPrecision(12)));
  return out;
}

/** A tick label: few digits, no trailing noise. */
function tickLabel(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** Grid lines, axis lines, ticks and their labels (y labels through yLabel, for a log axis), and optional axis names. */
export function drawAxes(f: Frame, names: { x?: string; y?: string } = {}, ticks: { x?: number[]; y?: number[] } = {}, yLabel: (v: number) => string = tickLabel): void {
  const { ctx, extent: e } = f;
  ctx.save();
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  const xs = ticks.x ?? niceTicks(e.xMin, e.xMax, Math.max(2, Math.round((f.right - f.left) / 80)));
  const ys = ticks.y ?? niceTicks(e.yMin, e.yMax, Math.max(2, Math.round((f.bottom - f.top) / 50)));
  ctx.strokeStyle = f.css('--grid');
  for (const v of xs) line(ctx, Math.round(f.x(v)) + 0.5, f.top, Math.round(f.x(v)) + 0.5, f.bottom);
  for (const v of ys) line(ctx, f.left, Math.round(f.y(v)) + 0.5, f.right, Math.round(f.y(v)) + 0.5);
  ctx.strokeStyle = f.css('--axis');
  line(ctx, f.left, f.bottom + 0.5, f.right, f.bottom + 0.5);
  line(ctx, f.left - 0.5, f.top, f.left - 0.5, f.bottom);
  ctx.fillStyle = f.css('--muted');
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of xs) ctx.fillText(tickLabel(v), f.x(v), f.bottom + 4);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ys) ctx.fillText(yLabel(v), f.left - 5, f.y(v));
  if (names.x) {
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(names.x, f.right, f.bottom - 3);
  }
  if (names.y) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(names.y, f.left + 4, f.top + 2);
  }
  ctx.restore();
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** Clips drawing to the plot area until the returned function is called. */
export function clip(f: Frame): () => void {
  f.ctx.save();
  f.ctx.beginPath();
  f.ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top);
  f.ctx.clip();
  return () => f.ctx.restore();
}

/** A polyline through (xs[i], ys[i]); NaN values break it. */
export function drawLine(f: Frame, xs: ArrayLike<number>, ys: ArrayLike<number>, colour: string, width = 1.5, dash: number[] = []): void {
  const { ctx } = f;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.setLineDash(dash);
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i]) || !Number.isFinite(xs[i])) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(f.x(xs[i]), f.y(ys[i]));
    else ctx.moveTo(f.x(xs[i]), f.y(ys[i]));
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** Bars of a histogram: bins of equal width from lo, heights in data units. */
export function drawBars(f: Frame, lo: number, width: number, heights: ArrayLike<number>, colour: string, alpha = 0.55): void {
  const { ctx } = f;
  ctx.save();
  ctx.fillStyle = colour;
  ctx.globalAlpha = alpha;
  for (let i = 0; i < heights.length; i++) {
    if (!(heights[i] > 0)) continue;
    const x0 = f.x(lo + i * width);
    const x1 = f.x(lo + (i + 1) * width);
    const y = f.y(heights[i]);
    ctx.fillRect(x0 + 0.5, y, Math.max(1, x1 - x0 - 1), f.y(0) - y);
  }
  ctx.restore();
}

/** Points (flat [n, 2] from offset) as small squares. */
export function drawPoints(f: Frame, xy: ArrayLike<number>, colour: string, options: { offset?: number; count?: number; size?: number; alpha?: number } = {}): void {
  const { ctx } = f;
  const offset = options.offset ?? 0;
  const count = options.count ?? (xy.length - offset) / 2;
  const s = options.size ?? 2.5;
  ctx.save();
  ctx.fillStyle = colour;
  ctx.globalAlpha = options.alpha ?? 0.8;
  for (let i = 0; i < count; i++) ctx.fillRect(f.x(xy[offset + 2 * i]) - s / 2, f.y(xy[offset + 2 * i + 1]) - s / 2, s, s);
  ctx.restore();
}

/**
 * A picture of values on a grid (cols x rows, row 0 at the bottom) stretched over the extent, each value in [0, 1]
 * drawn as the colour with that much opacity.
 */
export function drawImage(f: Frame, values: ArrayLike<number>, cols: number, rows: number, area: Extent, colour: readonly [number, number, number]): void {
  const img = new ImageData(cols, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Math.max(0, Math.min(1, values[r * cols + c]));
      const o = 4 * ((rows - 1 - r) * cols + c);
      img.data[o] = colour[0];
      img.data[o + 1] = colour[1];
      img.data[o + 2] = colour[2];
      img.data[o + 3] = Math.round(255 * v);
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.getContext('2d')?.putImageData(img, 0, 0);
  f.ctx.save();
  f.ctx.imageSmoothingEnabled = true;
  f.ctx.drawImage(canvas, f.x(area.xMin), f.y(area.yMax), f.x(area.xMax) - f.x(area.xMin), f.y(area.yMin) - f.y(area.yMax));
  f.ctx.restore();
}

/** Arrows from points (flat [n, 2]) along vectors (flat [n, 2]) scaled by `scale` data units per unit. */
export function drawArrows(f: Frame, at: ArrayLike<number>, vectors: ArrayLike<number>, scale: number, colour: string, width = 1.1): void {
  const { ctx } = f;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  for (let i = 0; i + 1 < at.length; i += 2) {
    const x0 = f.x(at[i]);
    const y0 = f.y(at[i + 1]);
    const x1 = f.x(at[i] + scale * vectors[i]);
    const y1 = f.y(at[i + 1] + scale * vectors[i + 1]);
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len = Math.hypot(dx, dy);
    if (!(len > 0.5)) continue;
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    // barbs: the shaft turned by +-150 degrees, a third as long (at most 5 px)
    const k = Math.min(0.33, 5 / len);
    for (const s of [1, -1]) {
      const c = Math.cos((s * 5 * Math.PI) / 6) * k;
      const n = Math.sin((s * 5 * Math.PI) / 6) * k;
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 + c * dx - n * dy, y1 + n * dx + c * dy);
    }
  }
  ctx.stroke();
  ctx.restore();
}

/** A CSS colour '#rrggbb' as [r, g, b]. */
export function rgbOf(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const v = m ? parseInt(m[1], 16) : 0;
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
