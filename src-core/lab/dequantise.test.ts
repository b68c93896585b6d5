// Dequantised bits per dimension against closed forms: the uniform density over the pixel cube is 8 bits exactly, and dequantised values stay in their level's cell.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { dequantise, dequantisedBits, pixelLevels } from './dequantise';

describe('dequantisation of 8-bit pixels', () => {
  it('gives 8 bits per dimension for the uniform density over the dequantised cube, at any d', () => {
    for (const d of [1, 3, 784]) {
      // y spans [-1/510, 256/255 - 1/510): a cube of side 256/255, uniform density (255/256)^d
      const logDensity = d * Math.log(255 / 256);
      expect(dequantisedBits(logDensity, d)).toBeCloseTo(8, 12);
    }
    // a density twice as concentrated saves exactly one bit over all d pixels
    expect(dequantisedBits(10 * Math.log(255 / 256) + Math.log(2), 10)).toBeCloseTo(8 - 1 / 10, 12);
  });

  it('reads the levels of k / 255 values and spreads each over its own cell, centred on the stored value', () => {
    const k = Uint8Array.from({ length: 256 }, (_, i) => i);
    const stored = Float32Array.from(k, (v) => Math.round((v / 255) * 1000) / 1000);
    expect(Array.from(pixelLevels(stored))).toEqual(Array.from(k));
    expect(() => pixelLevels([0.5 / 255])).toThrow(/grey level/);
    expect(() => pixelLevels([1.2])).toThrow(/grey level/);
    const rng = new Rng(3);
    const reps = 400;
    const sums = new Float64Array(256);
    let outside = 0;
    for (let r = 0; r < reps; r++) {
      const y = dequantise(k, rng);
      for (let i = 0; i < 256; i++) {
        if (y[i] < (i - 0.5) / 255 - 1e-7 || y[i] >= (i + 0.5) / 255 + 1e-7) outside++;
        sums[i] += y[i] / reps;
      }
    }
    expect(outside).toBe(0);
    // mean of u is 1/2 with sd sqrt(1/12 / 400) ~ 0.0144 levels
    for (let i = 0; i < 256; i++) expect(Math.abs(sums[i] * 255 - i)).toBeLessThan(0.07);
  });
});
