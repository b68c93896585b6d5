// The two-moons bar: sliced W2 of a model's samples to fresh draws of the data, over the data's own finite-sample floor (two independent draws of the same size).
import type { Batch } from '../../src-core/batch';
import { generateDataset } from '../../src-core/data';
import { slicedW2Squared } from '../../src-core/metrics/wasserstein';
import { Rng } from '../../src-core/rng';

/**
 * Points in every compared set. Two independent draws of 5,000 two-moons points sit at sliced W2 0.024-0.060 from
 * each other (15 pairs, test/quality/two-moons.test.ts): one pair is a poor yardstick, hence the means below.
 */
export const BAR_POINTS = 5000;
/** Seeds of the fresh draws of the data (none is the training set's seed 0). */
export const HELD_OUT_SEEDS = [12345, 12346, 12347] as const;
/** Seeds of the model's start noise: the ratio is the mean over these draws, so one lucky or unlucky draw weighs a third. */
export const NOISE_SEEDS = [11, 12, 13] as const;
/** The bar: a model passes when its mean sliced W2 to the fresh draws is at most this many floors. */
export const FLOOR_BAR = 1.5;

/** Sliced W2 (not squared) over 256 fixed directions, the same for every call. */
function slicedW2(x: Batch, y: Batch): number {
  return Math.sqrt(slicedW2Squared(x, y, { rng: new Rng(5), projections: 256 }));
}

/** The fresh draws of the data and their floor: the mean sliced W2 over their pairs. */
export interface MoonsYardstick {
  readonly heldOut: readonly Batch[];
  readonly floor: number;
}

/** Draws BAR_POINTS points of two moons (the training set's noise) per held-out seed and measures their floor. */
export function moonsYardstick(noise: number): MoonsYardstick {
  const heldOut = HELD_OUT_SEEDS.map((seed) => generateDataset('two-moons', { count: BAR_POINTS, noise, seed }));
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < heldOut.length; i++) {
    for (let j = i + 1; j < heldOut.length; j++) {
      sum += slicedW2(heldOut[i], heldOut[j]);
      pairs++;
    }
  }
  return { heldOut, floor: sum / pairs };
}

/** A sample's mean sliced W2 to the fresh draws, in floors (1 = as close as the data is to itself). */
export function ratioToFloor(points: Batch, y: MoonsYardstick): number {
  return y.heldOut.reduce((s, h) => s + slicedW2(points, h), 0) / y.heldOut.length / y.floor;
}
