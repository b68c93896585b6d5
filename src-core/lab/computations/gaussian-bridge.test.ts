// 'gaussianBridge' against the closed form of the Gaussian Schrödinger bridge: particles from the entropic plan's pairs match its mean and covariance at every t within
// their standard errors, independent pairs (a wrong bridge) miss the covariance by many, and at small s the bridge sits on the OT interpolation.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../computation';
import { gaussianBridgeComputation } from './gaussian-bridge';

const run = (params: Record<string, unknown>) => runComputation(gaussianBridgeComputation, params);
const worst = (err: Float64Array, noise: Float64Array) => Math.max(...Array.from(err, (e, k) => e / noise[k]));

describe("lab computation 'gaussianBridge'", () => {
  it('puts the simulated bridge on the closed form at every t within a few standard errors, for several s and seeds', async () => {
    for (const [s, seed] of [[1, 0], [0.5, 1], [2, 2]] as const) {
      const r = await run({ s, seed });
      expect(r.sinkhorn.converged).toBe(true);
      // the ends are the two Gaussians themselves
      expect(r.cov[0]).toBeCloseTo(0.25, 12);
      expect(r.cov[r.cov.length - 1]).toBeCloseTo(0.16, 12);
      // a correct estimate's errors are of the size of the standard errors; 4 leaves room for the largest of 21 times
      expect(worst(r.meanError, r.meanNoise)).toBeLessThan(4);
      expect(worst(r.covError, r.covNoise)).toBeLessThan(4);
      // the drawn pairs' cost is the closed form's E |x1 - x0|^2, above W2^2
      expect(r.cost.exact).toBeGreaterThan(r.cost.w2Squared);
      expect(Math.abs(r.cost.sampled - r.cost.exact)).toBeLessThan(0.05 * r.cost.exact);
    }
  }, 60_000);

  it('catches a wrong bridge: independent pairs miss the covariance between the ends by many standard errors', async () => {
    // two alike Gaussians: the bridge pairs each point with its near twin, independent pairs with anyone
    const ends = { from: { mean: [-2, 0], sx: 1, sy: 0.5, rho: 0.5 }, to: { mean: [2, 0], sx: 1, sy: 0.5, rho: 0.5 }, s: 0.3, seed: 3 };
    const right = await run(ends);
    const wrong = await run({ ...ends, pairing: 'independent' });
    expect(worst(right.covError, right.covNoise)).toBeLessThan(4);
    expect(worst(wrong.covError, wrong.covNoise)).toBeGreaterThan(6);
    // the means move on the same straight line either way: pairing changes only the spread
    expect(worst(wrong.meanError, wrong.meanNoise)).toBeLessThan(4);
  }, 30_000);

  it('tends to the OT (McCann) interpolation as s shrinks: the covariance gap to it falls and the cost nears W2^2', async () => {
    const wide = await run({ s: 1.5, seed: 4 });
    const narrow = await run({ s: 0.2, seed: 4 });
    const mid = (r: typeof wide) => r.otCovError[Math.floor(r.times.length / 2)];
    expect(mid(narrow)).toBeLessThan(mid(wide) / 3);
    expect(narrow.cost.exact - narrow.cost.w2Squared).toBeLessThan((wide.cost.exact - wide.cost.w2Squared) / 10);
  }, 30_000);
});
