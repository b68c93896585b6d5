// The seeded generator: reproducible, restorable, and with the moments its distributions must have.
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { StudioError } from './errors';

const N = 200_000;

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another', () => {
    const a = new Rng(42).fillNormal(new Float64Array(100));
    const b = new Rng(42).fillNormal(new Float64Array(100));
    const c = new Rng(43).fillNormal(new Float64Array(100));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // seeds above 2^32 still matter
    expect(new Rng(2 ** 40).uniform()).not.toBe(new Rng(0).uniform());
  });

  it('restores from a saved state mid-stream, including a cached Gaussian', () => {
    const r = new Rng(7);
    r.normal(); // leaves the pair's second value cached
    const saved = JSON.parse(JSON.stringify(r.state()));
    const next = [r.normal(), r.uniform(), r.nextUint32()];
    const back = Rng.fromState(saved);
    expect([back.normal(), back.uniform(), back.nextUint32()]).toEqual(next);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(1);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    const mean = s / N;
    // standard errors: sqrt(1/12/N) ~ 6.5e-4 for the mean; variance SE ~ sqrt(1/180/N) ~ 1.7e-4
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * 6.5e-4);
    expect(Math.abs(s2 / N - mean * mean - 1 / 12)).toBeLessThan(5 * 1.7e-4);
  });

  it('draws standard normals: mean 0, variance 1, skew 0, kurtosis 3 within 5 standard errors', () => {
    const z = new Rng(2).fillNormal(new Float64Array(N));
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (const v of z) {
      m1 += v;
      m2 += v * v;
      m3 += v ** 3;
      m4 += v ** 4;
    }
    const se = (variance: number) => 5 * Math.sqrt(variance / N);
    expect(Math.abs(m1 / N)).toBeLessThan(se(1));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(se(2));
    expect(Math.abs(m3 / N)).toBeLessThan(se(15));
    expect(Math.abs(m4 / N - 3)).toBeLessThan(se(96));
  });

  it('draws balanced Rademacher signs and valid integers and permutations', () => {
    const r = new Rng(3);
    const signs = r.fillRademacher(new Float32Array(N));
    let sum = 0;
    for (const s of signs) {
      expect(Math.abs(s)).toBe(1);
      sum += s;
    }
    expect(Math.abs(sum / N)).toBeLessThan(5 / Math.sqrt(N));
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * Math.sqrt(10_000 * (6 / 7)));
    const p = r.permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
  });

  it('refuses a seed that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, NaN]) expect(() => new Rng(bad)).toThrow(StudioError);
    expect(() => new Rng(1).int(0)).toThrow(StudioError);
  });
});
