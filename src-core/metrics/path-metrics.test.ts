// Straightness and kinetic energy on paths with closed-form integrals.
import { describe, expect, it } from 'vitest';
import { batch } from '../batch';
import { Rng } from '../rng';
import { kineticEnergy, pathStraightness } from './path-metrics';

/** Records x_t = x0 + t d + t (1 - t) w and u = d + (1 - 2t) w at the given times (n particles, dim 2). */
function quadraticPath(times: number[], x0: number[], d: number[], w: number[], f32 = false) {
  const K = times.length;
  const size = x0.length;
  const states = f32 ? new Float32Array(K * size) : new Float64Array(K * size);
  const vel = f32 ? new Float32Array(K * size) : new Float64Array(K * size);
  times.forEach((t, k) => {
    for (let q = 0; q < size; q++) {
      states[k * size + q] = x0[q] + t * d[q] + t * (1 - t) * w[q];
      vel[k * size + q] = d[q] + (1 - 2 * t) * w[q];
    }
  });
  const n = size / 2;
  return { times: Float64Array.from(times), states: batch(states, [K, n, 2]), velocities: batch(vel, [K, n, 2]) };
}

const meanSq = (v: number[], n: number) => v.reduce((a, b) => a + b * b, 0) / n;

describe('path metrics', () => {
  const rng = new Rng(1);
  const n = 5;
  const x0 = Array.from({ length: 2 * n }, () => rng.normal());
  const d = Array.from({ length: 2 * n }, () => rng.normal());
  const w = Array.from({ length: 2 * n }, () => rng.normal());
  const zero = new Array<number>(2 * n).fill(0);

  it('a straight constant-speed path has straightness 0 and kinetic energy E||x1 - x0||^2, either direction', () => {
    const times = Array.from({ length: 9 }, (_, k) => 1 - (k / 8) ** 2); // 1 -> 0, uneven steps
    const path = quadraticPath(times, x0, d, zero);
    expect(pathStraightness(path)).toBeLessThan(1e-24);
    expect(kineticEnergy(path)).toBeCloseTo(meanSq(d, n), 12);
    const up = quadraticPath([...times].reverse(), x0, d, zero);
    expect(pathStraightness(up)).toBeLessThan(1e-24);
    expect(kineticEnergy(up)).toBeCloseTo(meanSq(d, n), 12);
  });

  it('constant velocity c has kinetic energy ||c||^2 over [0, 1]', () => {
    const c = [3, -4];
    const path = quadraticPath([0, 0.3, 0.5, 1], [0, 0], c, [0, 0], true);
    expect(kineticEnergy(path)).toBeCloseTo(25, 5);
  });

  it('a bent path: straightness E||w||^2 / 3, kinetic E||d||^2 + E||w||^2 / 3, within the trapezoid error', () => {
    const K = 201;
    const times = Array.from({ length: K }, (_, k) => k / (K - 1));
    const path = quadraticPath(times, x0, d, w);
    // Both integrands are quadratics in t with second derivative 8 ||w||^2 (per particle, averaged);
    // the composite trapezoid rule overshoots by exactly h^2 / 12 times its integral.
    const h = 1 / (K - 1);
    const trapErr = (h * h / 12) * 8 * meanSq(w, n);
    expect(pathStraightness(path)).toBeCloseTo(meanSq(w, n) / 3 + trapErr, 10);
    expect(kineticEnergy(path)).toBeCloseTo(meanSq(d, n) + meanSq(w, n) / 3 + trapErr, 10);
  });

  it('uses the straight-line rate over a partial span', () => {
    const path = quadraticPath([0.9, 0.6, 0.2], x0, d, zero);
    expect(pathStraightness(path)).toBeLessThan(1e-24);
  });

  it('rejects bad records', () => {
    const good = quadraticPath([0, 0.5, 1], x0, d, w);
    expect(() => kineticEnergy({ times: [0], velocities: batch(new Float64Array(2), [1, 1, 2]) })).toThrow(/at least 2/);
    expect(() => kineticEnergy({ ...good, times: [0, 0.5, 0.4] })).toThrow(/monotone/);
    expect(() => kineticEnergy({ ...good, times: [0, NaN, 1] })).toThrow(/times\[1\]/);
    expect(() => kineticEnergy({ times: [0, 1], velocities: good.velocities })).toThrow(/time slices/);
    expect(() => pathStraightness({ ...good, states: batch(new Float64Array(12), [3, 2, 2]) })).toThrow(/differ in shape/);
    const bad = good.velocities.data.slice();
    bad[4] = NaN;
    expect(() => kineticEnergy({ times: good.times, velocities: batch(bad, good.velocities.shape) })).toThrow(/velocities\[4\]/);
  });
});
