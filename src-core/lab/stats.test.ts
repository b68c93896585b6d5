// The evidence statistics against known values: the normal CDF, KS p-values (uniform under the true law, small away from it), log k!, the Poisson mean absolute deviation.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { ksCritical5, ksGaussian, ksPValue, logFactorial, normalCdf, poissonMeanAbsDeviation } from './stats';

describe('Lab statistics', () => {
  it('normal CDF matches tabulated values to 1e-12', () => {
    // Phi(z) from standard tables (computed to 16 digits)
    const table: [number, number][] = [[0, 0.5], [1, 0.8413447460685429], [-1.96, 0.024997895148220435], [-3, 0.0013498980316300946], [2.5, 0.9937903346742238], [-6, 9.865876450376981e-10]];
    for (const [z, p] of table) expect(Math.abs(normalCdf(z) - p)).toBeLessThan(1e-12 * Math.max(1, 1 / p));
  });

  it('KS p-values are uniform for draws of the true law and tiny for a shifted one', () => {
    const rng = new Rng(1);
    let rejected = 0;
    const trials = 400;
    for (let k = 0; k < trials; k++) {
      const x = rng.fillNormal(new Float64Array(200)).map((v) => 1 + 2 * v);
      if (ksPValue(ksGaussian(x, 1, 2), 200) < 0.05) rejected++;
    }
    // Binomial(400, 0.05): mean 20, sd 4.4
    expect(rejected).toBeGreaterThan(6);
    expect(rejected).toBeLessThan(34);
    const shifted = rng.fillNormal(new Float64Array(200)).map((v) => 1.5 + 2 * v);
    expect(ksPValue(ksGaussian(shifted, 1, 2), 200)).toBeLessThan(0.01);
    // the critical value is where the p-value crosses 5%
    expect(ksPValue(ksCritical5(500), 500)).toBeCloseTo(0.05, 3);
  });

  it('KS distance of a point mass sample from its point is 0', () => {
    expect(ksGaussian(new Float64Array([2, 2, 2]), 2, 0)).toBe(0);
  });

  it('log k! and the Poisson mean absolute deviation agree with direct sums', () => {
    let direct = 0;
    for (let k = 1; k <= 1000; k++) {
      direct += Math.log(k);
      if ([1, 10, 256, 257, 300, 1000].includes(k)) expect(logFactorial(k)).toBeCloseTo(direct, 9);
    }
    for (const lambda of [0.3, 1, 4.5, 37.2]) {
      // sum_x |x - lambda| P(x) over enough terms
      let mad = 0;
      let logp = -lambda;
      for (let x = 0; x < 400; x++) {
        if (x > 0) logp += Math.log(lambda) - Math.log(x);
        mad += Math.abs(x - lambda) * Math.exp(logp);
      }
      expect(poissonMeanAbsDeviation(lambda)).toBeCloseTo(mad, 10);
    }
    expect(poissonMeanAbsDeviation(0)).toBe(0);
  });
});
