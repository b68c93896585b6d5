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

/**
 * Grows the bounds (plus a margin) so that a plot box of width x height pixels shows both axes
 * at the same scale, centred on the data.
 */
export function squareExtent(bounds: Extent, width: number, height: number, margin = 0.06): Extent {
  const w = Math.max(width, 1);
  const h = Math.max(height, 1);
  const cx = (bounds.xMin + bounds.xMax) / 2;
  const cy = (bounds.yMin + bounds.yMax) / 2;
  const spanX = Math.max(bounds.xMax - bounds.xMin, 1e-6) * (1 + 2 * margin);
  const spanY = Math.max(bounds.yMax - bounds.yMin, 1e-6) * (1 + 2 * margin);
  const unitsPerPixel = Math.max(spanX / w, spanY / h);
  const halfX = (unitsPerPixel * w) / 2;
  const halfY = (unitsPerPixel * h) / 2;
  return { xMin: cx - halfX, xMax: cx + halfX, yMin: cy - halfY, yMax: cy + halfY };
}
