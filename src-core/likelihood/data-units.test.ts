// The change of units of a normalised model's likelihood against the closed-form density of an affinely mapped Gaussian.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { logDensityInDataUnits, normalisationLogDet, toModelUnits } from './data-units';

/** log N(x; mu, diag(sd^2)) of one row. */
function gaussLog(x: ArrayLike<number>, mu: readonly number[], sd: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < mu.length; j++) s += -0.5 * ((x[j] - mu[j]) / sd[j]) ** 2 - Math.log(sd[j]) - 0.5 * Math.log(2 * Math.PI);
  return s;
}

describe('likelihood in data units', () => {
  // model units: N(mu, s^2 I); data = x_n * scale + mean, so data ~ N(scale mu + mean, (scale s)^2) per dimension
  const mu = [0.3, -1.2, 0.5];
  const s = 0.7;
  const mean = [10, -5, 0.25];
  const scale = [2, 0.1, 3];

  it('log p_data(x) = log p_model((x - mean) / scale) - sum log scale, against the closed form', () => {
    const n = 50;
    const x = new Rng(5).fillNormal(new Float64Array(n * 3)).map((v, i) => mean[i % 3] + scale[i % 3] * (mu[i % 3] + 2 * s * v));
    const xn = toModelUnits(x, { mean, scale }, 3, new Float64Array(x.length));
    const logp = Float64Array.from({ length: n }, (_, r) => gaussLog(xn.subarray(3 * r, 3 * r + 3), mu, [s, s, s]));
    logDensityInDataUnits(logp, { mean, scale }, 3);
    const dataMu = mu.map((m, j) => scale[j] * m + mean[j]);
    const dataSd = scale.map((c) => c * s);
    for (let r = 0; r < n; r++) expect(logp[r]).toBeCloseTo(gaussLog(x.subarray(3 * r, 3 * r + 3), dataMu, dataSd), 10);
    expect(normalisationLogDet({ mean, scale }, 3)).toBeCloseTo(-Math.log(2 * 0.1 * 3), 14);
  });

  it('a one-entry normalisation applies to every dimension; none is the identity', () => {
    expect(normalisationLogDet({ mean: [1], scale: [2] }, 4)).toBeCloseTo(-4 * Math.LN2, 14);
    expect([...toModelUnits(new Float32Array([3, 5]), { mean: [1], scale: [2] }, 2, new Float32Array(2))]).toEqual([1, 2]);
    expect(normalisationLogDet(null, 4)).toBe(0);
    const logp = new Float64Array([-1.5, 2]);
    expect([...logDensityInDataUnits(logp, null, 2)]).toEqual([-1.5, 2]);
    expect([...toModelUnits(new Float32Array([3, 5]), null, 2, new Float64Array(2))]).toEqual([3, 5]);
  });

  it('refuses a normalisation that does not fit the items', () => {
    expect(() => normalisationLogDet({ mean: [0, 0], scale: [1, 1] }, 3)).toThrow(expect.objectContaining({ code: 'invalid-shape' }));
    expect(() => normalisationLogDet({ mean: [0], scale: [0] }, 2)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => toModelUnits(new Float32Array(4), { mean: [0], scale: [1] }, 2, new Float32Array(3))).toThrow(/3 numbers for 4/);
  });
});
