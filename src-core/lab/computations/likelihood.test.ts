// 'likelihood' against closed forms: with the mixture's exact velocity the PF-ODE's log p_0 is the oracle's (MATH.md §8) and converges at RK4's order;
// the grid's mass is 1 for the oracle and for a trained flow; Hutchinson's mean sits within a few standard errors of the exact divergence.
import { describe, expect, it } from 'vitest';
import { runComputation } from '../computation';
import { likelihoodComputation } from './likelihood';

const two = { weights: [0.3, 0.7], means: [[-1, 0.5], [1.2, -0.4]], covariances: [[[0.3, 0.1], [0.1, 0.2]], [[0.15, 0], [0, 0.4]]] };
const run = (params: Record<string, unknown>) => runComputation(likelihoodComputation, params);

/** Largest |model - oracle| of log p over the grid cells where the oracle's density is above a floor. */
function worstGap(r: { modelLogp: Float32Array; oracleLogp: Float32Array }, floor: number): number {
  let worst = 0;
  for (let i = 0; i < r.modelLogp.length; i++) if (r.oracleLogp[i] > Math.log(floor)) worst = Math.max(worst, Math.abs(r.modelLogp[i] - r.oracleLogp[i]));
  return worst;
}

describe("lab computation 'likelihood'", () => {
  it("with the mixture's exact velocity, the PF-ODE's log p_0 is the oracle's, its error falling at RK4's order, and both grids hold mass 1", async () => {
    const gaps: number[] = [];
    for (const steps of [10, 20, 40]) {
      const r = await run({ mixture: two, model: 'oracle', resolution: 32, steps, heldOut: 100, probes: 2 });
      gaps.push(Math.abs(r.modelNll - r.oracleNll));
      if (steps === 40) {
        expect(worstGap(r, 1e-3)).toBeLessThan(2e-3);
        expect(r.oracleMass).toBeGreaterThan(0.995);
        expect(r.oracleMass).toBeLessThan(1.005);
        expect(r.modelMass).toBeGreaterThan(0.995);
        expect(r.modelMass).toBeLessThan(1.005);
        expect(r.training).toBeNull();
      }
    }
    console.log(`oracle velocity, |NLL_ode - NLL_exact| at RK4 10/20/40 steps: ${gaps.map((g) => g.toExponential(2)).join(' ')}`);
    expect(gaps[2]).toBeLessThan(1e-3);
    // halving the step cuts the error by far more than 2 (order 4 would be 16; float64 differences keep it clean)
    expect(gaps[1] / gaps[2]).toBeGreaterThan(6);
  }, 60_000);

  it("Hutchinson's mean over held-out points is within a few standard errors of the exact divergence, and its noise shrinks with probes", async () => {
    const one = await run({ mixture: two, model: 'oracle', resolution: 8, steps: 12, heldOut: 400, probes: 1, seed: 2 });
    const many = await run({ mixture: two, model: 'oracle', resolution: 8, steps: 12, heldOut: 400, probes: 16, seed: 2 });
    for (const r of [one, many]) {
      expect(r.hutchinsonGapSe).toBeGreaterThan(0);
      expect(Math.abs(r.hutchinsonGap)).toBeLessThan(4 * r.hutchinsonGapSe);
    }
    // the estimator's spread falls as 1 / sqrt(probes): 16 probes, about 4 times less
    expect(many.hutchinsonGapSe).toBeLessThan(one.hutchinsonGapSe / 2.5);
  }, 60_000);
});
