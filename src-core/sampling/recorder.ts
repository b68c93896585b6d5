// Keeps the state and predicted x0 of a few chosen rows at every step, then packs them as [steps + 1, k, d].
import type { FloatArray } from '../batch';
import { checkInteger, check } from '../errors';
import type { Trajectory } from './types';

/** Collects rows of x and x0 step by step; rows whose x0 is not known yet are filled later. */
export class Recorder {
  private readonly xs: Float32Array[] = [];
  private readonly x0s: (Float32Array | null)[] = [];
  private readonly times: number[] = [];

  /** Checks the indices against n rows of size d. */
  constructor(readonly indices: readonly number[], n: number, private readonly d: number) {
    check(Array.isArray(indices) && indices.length > 0, 'record.indices must be a non-empty array of row indices');
    for (const i of indices) checkInteger(i, 'record index');
    for (const i of indices) check(i < n, `record index ${i} is out of range for ${n} rows`);
  }

  private pick(a: FloatArray): Float32Array {
    const { d } = this;
    const out = new Float32Array(this.indices.length * d);
    this.indices.forEach((row, k) => {
      for (let j = 0; j < d; j++) out[k * d + j] = a[row * d + j];
    });
    return out;
  }

  /** Appends a state reached at time t. */
  state(x: FloatArray, t: number): void {
    this.xs.push(this.pick(x));
    this.x0s.push(null);
    this.times.push(t);
  }

  /** Sets the predicted x0 of the state `back` places from the newest (0 = newest). */
  x0(x0: FloatArray, back = 0): void {
    const i = this.x0s.length - 1 - back;
    if (i >= 0 && this.x0s[i] === null) this.x0s[i] = this.pick(x0);
  }

  /** The packed trajectory; x0 rows never set stay NaN. */
  finish(): Trajectory {
    const steps = this.xs.length;
    const size = this.indices.length * this.d;
    const x = new Float32Array(steps * size);
    const x0 = new Float32Array(steps * size).fill(NaN);
    for (let s = 0; s < steps; s++) {
      x.set(this.xs[s], s * size);
      const row = this.x0s[s];
      if (row !== null) x0.set(row, s * size);
    }
    return {
      indices: [...this.indices],
      times: Float64Array.from(this.times),
      x,
      x0,
      shape: [steps, this.indices.length, this.d],
    };
  }
}
