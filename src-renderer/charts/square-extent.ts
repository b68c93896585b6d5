// Axis ranges that give x and y the same scale (one data unit = the same number of pixels) in any plot box.

/** Minimum and maximum of both axes. */
export interface Extent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The bounding box of row-major [n, 2] points; a unit box around 0 when there are none. */
export function boundsOf(points: Float32Array): Extent {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i];
    const y = points[i + 1];
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (!Number.isFinite(xMin) || !Number.isFinite(yMin)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  return { xMin, xMax, yMin, yMax };
}

/** The smallest box holding both. */
export function unionOf(a: Extent, b: Extent): Extent {
  return { xMin: Math.min(a.xMin, b.xMin), xMax: Math.max(a.xMax, b.xMax), yMin: Math.min(a.yMin, b.yMin), yMax: Math.max(a.yMax, b.yMax) };
}

/**
 * The box of row-major [n, 2] points without their farthest stragglers: from the tail to the 1 - tail quantile on each
 * axis (read from at most `most` points spaced evenly over them), so one stray point does not squeeze the rest into a corner.
 */
export function robustBounds(points: Float32Array, tail = 0.005, most = 20_000): Extent {
  const n = Math.floor(points.length / 2);
  if (n === 0) return boundsOf(points);
  const m = Math.min(n, most);
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const row = Math.floor((i * n) / m);
    const x = points[2 * row];
    const y = points[2 * row + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs[k] = x;
      ys[k++] = y;
    }
  }
  if (k === 0) return boundsOf(new Float32Array(0));
  const sx = xs.subarray(0, k).sort();
  const sy = ys.subarray(0, k).sort();
  const lo = Math.floor(tail * (k - 1));
  const hi = Math.ceil((1 - tail) * (k - 1));
  return { xMin: sx[lo], xMax: sx[hi], yMin: sy[lo], yMax: sy[hi] };
}

/**
 * Grows the bounds (plus a margin) so that a plot box of width x height pixels shows both axes
 * at the same scale, centred on the data.
 */
export function squareExtent(bounds: Extent, width: number, height: number, margin = 0.06): Extent {
  return fitExtent(bounds, width, height, margin, 1);
}

/**
 * Like squareExtent, but one axis may show up to maxStretch times more data units per pixel than the other, so that
 * data far from the box's shape (two moons in a tall, narrow box) still fill it instead of lying in a thin band.
 */
export function fitExtent(bounds: Extent, width: number, height: number, margin = 0.06, maxStretch = 1): Extent {
  const w = Math.max(width, 1);
  const h = Math.max(height, 1);
  const cx = (bounds.xMin + bounds.xMax) / 2;
  const cy = (bounds.yMin + bounds.yMax) / 2;
  const spanX = Math.max(bounds.xMax - bounds.xMin, 1e-6) * (1 + 2 * margin);
  const spanY = Math.max(bounds.yMax - bounds.yMin, 1e-6) * (1 + 2 * margin);
  // units per pixel each axis needs; the finer one is coarsened until the two are within maxStretch of each other
  const most = Math.max(spanX / w, spanY / h);
  const halfX = (Math.max(spanX / w, most / maxStretch) * w) / 2;
  const halfY = (Math.max(spanY / h, most / maxStretch) * h) / 2;
  return { xMin: cx - halfX, xMax: cx + halfX, yMin: cy - halfY, yMax: cy + halfY };
}
