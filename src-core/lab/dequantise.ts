// Uniform dequantisation of 8-bit pixels (MATH.md §9) for a set stored as k / 255: y = a (k + u) + b with a = 1/255, b = -1/510, and bits per dimension in pixel units.
import { StudioError } from '../errors';
import type { Rng } from '../rng';

/** a of y = a (k + u) + b: one grey level of a set stored as k / 255. */
const LEVEL = 1 / 255;
/** b: half a level down, so y spans [k - 1/2, k + 1/2) / 255 around the stored value k / 255. */
const SHIFT = -0.5 / 255;

/** The grey levels k in 0..255 of values stored as k / 255 (rounded to three decimals, as the MNIST package holds them). */
export function pixelLevels(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const k = Math.round(values[i] * 255);
    if (!(k >= 0 && k <= 255) || Math.abs(values[i] * 255 - k) > 0.2) {
      throw new StudioError('invalid-argument', `pixel ${i} holds ${values[i]}, not a grey level k / 255 with k in 0..255`);
    }
    out[i] = k;
  }
  return out;
}

/** Each level spread uniformly over its cell: y = a (k + u) + b, u ~ U(0, 1) drawn from rng. */
export function dequantise(levels: Uint8Array, rng: Rng): Float32Array {
  const out = new Float32Array(levels.length);
  for (let i = 0; i < levels.length; i++) out[i] = LEVEL * (levels[i] + rng.uniform()) + SHIFT;
  return out;
}

/**
 * Bits per dimension of an item of d pixels from the log-density of its dequantised value in data units:
 * nll_k = -log p(y) - d log a nats (the density over [0, 256)^d), divided by d ln 2.
 */
export function dequantisedBits(logDensity: number, d: number): number {
  return (-logDensity - d * Math.log(LEVEL)) / (d * Math.LN2);
}
