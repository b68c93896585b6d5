// What the ideal model adds beneath a panel: the exact density p_t on a pixel grid and the drift of a sampler on a coarse grid.
import { batch } from '../../../src-core/batch';
import type { Oracle } from '../../../src-core/oracle';
import { gammaDrift } from '../../../src-core/sampling/euler-maruyama';
import type { Extent } from '../../charts/square-extent';

/** Densities on a width x height grid, row 0 at the top (yMax), scaled so the largest is 1. */
interface DensityGrid {
  readonly width: number;
  readonly height: number;
  readonly values: Float32Array;
}

/** p_t (not its log, so that the low tails fade out) at the centres of a width x height grid over the extent. */
export function densityGrid(oracle: Oracle, t: number, extent: Extent, width: number, height: number): DensityGrid {
  const pts = new Float64Array(width * height * 2);
  for (let r = 0; r < height; r++) {
    const y = extent.yMax - ((r + 0.5) / height) * (extent.yMax - extent.yMin);
    for (let c = 0; c < width; c++) {
      const i = 2 * (r * width + c);
      pts[i] = extent.xMin + ((c + 0.5) / width) * (extent.xMax - extent.xMin);
      pts[i + 1] = y;
    }
  }
  const logp = oracle.logDensity(batch(pts, [width * height, 2]), t);
  let max = -Infinity;
  for (const v of logp) if (v > max) max = v;
  const values = new Float32Array(logp.length);
  for (let i = 0; i < logp.length; i++) values[i] = Math.exp(logp[i] - max);
  return { width, height, values };
}

/**
 * Short segments [x0, y0, x1, y1] on a count x count grid pointing where a particle moves as t decreases: minus the
 * drift of the panel's sampler (MATH.md §5), taken from the Euler–Maruyama step itself, scaled so the longest is 0.9 of a cell.
 */
export function driftSegments(oracle: Oracle, t: number, gamma: number, extent: Extent, count: number): number[][] {
  const cellX = (extent.xMax - extent.xMin) / count;
  const cellY = (extent.yMax - extent.yMin) / count;
  const pts = new Float64Array(count * count * 2);
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < count; c++) {
      pts[2 * (r * count + c)] = extent.xMin + (c + 0.5) * cellX;
      pts[2 * (r * count + c) + 1] = extent.yMin + (r + 0.5) * cellY;
    }
  }
  const x = batch(pts, [count * count, 2]);
  const { drift: u } = gammaDrift(oracle.schedule, { t, velocity: () => oracle.velocity(x, t), score: () => oracle.score(x, t) }, gamma);
  let maxNorm = 0;
  for (let i = 0; i < u.length; i += 2) maxNorm = Math.max(maxNorm, Math.hypot(u[i], u[i + 1]));
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return [];
  const scale = (0.9 * Math.min(cellX, cellY)) / maxNorm;
  const out: number[][] = [];
  for (let i = 0; i < u.length; i += 2) {
    // reverse time: dx = -drift |dt|
    out.push([pts[i], pts[i + 1], pts[i] - scale * u[i], pts[i + 1] - scale * u[i + 1]]);
  }
  return out;
}
