// Per-step pictures of the ideal model beneath the panels (density image, drift field), computed on first view and cached.
import { createOracle, type Oracle } from '../../../src-core/oracle';
import { createSchedule } from '../../../src-core/schedules';
import type { Extent } from '../../charts/square-extent';
import type { Comparison } from './sample.store';
import { densityGrid, driftSegments } from './oracle-view';

/** Pixels per side of the density image (smoothed when the canvas scales it). */
const DENSITY_SIZE = 96;
/** Arrows per side of the drift field. */
const FIELD_COUNT = 17;

/** An image of p_t over an extent. */
export interface DensityImage {
  readonly canvas: HTMLCanvasElement;
  readonly extent: Extent;
}

/** The square around the data bounds, twice their larger half-span wide: covers any plot aspect up to 2:1. */
function wideExtent(bounds: Extent): Extent {
  const cx = (bounds.xMin + bounds.xMax) / 2;
  const cy = (bounds.yMin + bounds.yMax) / 2;
  const half = Math.max(bounds.xMax - bounds.xMin, bounds.yMax - bounds.yMin);
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

function paint(values: Float32Array, size: number, rgb: readonly [number, number, number]): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(size, size);
  for (let i = 0; i < values.length; i++) {
    img.data[4 * i] = rgb[0];
    img.data[4 * i + 1] = rgb[1];
    img.data[4 * i + 2] = rgb[2];
    // a gamma below 1 lifts the tails so the spread of p_t stays visible, not only its peaks
    img.data[4 * i + 3] = Math.round(200 * Math.pow(values[i], 0.5));
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** Caches for one comparison: the oracle (ideal model only), density images by step and drift fields by panel and step. */
export function createFrames(c: Comparison, bounds: Extent) {
  const oracle: Oracle | null = c.choice.kind === 'oracle' ? createOracle(c.choice.mixture, createSchedule({ name: c.schedule })) : null;
  const wide = wideExtent(bounds);
  const densities = new Map<string, DensityImage>();
  const fields = new Map<string, number[][]>();
  const times = c.ode.times;

  return {
    /** True when the model is the ideal one (density and field are exact). */
    exact: oracle !== null,
    /** p_t at the step's time, tinted for the theme; null without the ideal model. */
    density(step: number, rgb: readonly [number, number, number]): DensityImage | null {
      if (!oracle) return null;
      const key = `${step}:${rgb.join(',')}`;
      let img = densities.get(key);
      if (!img) {
        const grid = densityGrid(oracle, times[step], wide, DENSITY_SIZE, DENSITY_SIZE);
        img = { canvas: paint(grid.values, DENSITY_SIZE, rgb), extent: wide };
        densities.set(key, img);
      }
      return img;
    },
    /** Where particles move at the step's time under the panel's sampler (ODE: gamma 0). */
    field(panel: 'ode' | 'sde', step: number): number[][] {
      if (!oracle || step >= times.length - 1) return [];
      const key = `${panel}:${step}`;
      let segs = fields.get(key);
      if (!segs) {
        segs = driftSegments(oracle, times[step], panel === 'ode' ? 0 : c.sde.gamma, bounds, FIELD_COUNT);
        fields.set(key, segs);
      }
      return segs;
    },
  };
}

/** The caches of one comparison. */
export type Frames = ReturnType<typeof createFrames>;
