// Shared oracle fixtures for the sampling and likelihood tests: mixtures, schedules, errors and slope fits.
import { batch, type Batch, type FloatArray } from '../../src-core/batch';
import { createOracle, type Oracle } from '../../src-core/oracle';
import { Rng } from '../../src-core/rng';
import { createSchedule } from '../../src-core/schedules';

/** One isotropic Gaussian N(MU, S^2 I) in 2D. */
export const MU = [1, -0.5];
export const S = 0.5;

/** A three-component 2D mixture with unequal weights and one correlated covariance. */
export const MIXTURE = {
  weights: [0.5, 0.3, 0.2],
  means: [[-1.5, 0], [1.2, 1], [0.8, -1.4]],
  covariances: [
    [[0.15, 0], [0, 0.15]],
    [[0.2, 0.08], [0.08, 0.12]],
    [[0.1, 0], [0, 0.25]],
  ],
};

/** The oracle of MIXTURE under a preset. */
export function mixtureOracle(schedule: string): Oracle {
  return createOracle(MIXTURE, createSchedule({ name: schedule }));
}

/** n standard-normal rows of dimension d as a float64 batch. */
export function normalBatch(n: number, d: number, seed: number): Batch<Float64Array> {
  return batch(new Rng(seed).fillNormal(new Float64Array(n * d)), [n, d]);
}

/** Largest absolute difference between two buffers. */
export function maxAbsDiff(a: FloatArray, b: FloatArray): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The least-squares slope of log(err) against log(steps), negated: the observed order. */
export function observedOrder(steps: readonly number[], errors: readonly number[]): number {
  const xs = steps.map(Math.log);
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return -num / den;
}
