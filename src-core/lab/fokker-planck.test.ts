// The Fokker–Planck solver against closed forms: mass kept to rounding, positivity, the OU stationary density, and second-order convergence to the exact OU and VP densities.
import { describe, expect, it } from 'vitest';
import { cellCentres, cellPoints, faceCoefficients, gridL1, gridMass, solveFokkerPlanck, type FpGrid } from './fokker-planck';
import { mixtureDensity, transportMixture, type SmallMixture } from './mixture-marginal';
import { ouSde, scheduleSde, type LabSde } from './sde';

/** The FP drift and diffusion of a linear SDE dX = a(t) X dt + g dW. */
const fp = (sde: LabSde) => ({ drift: (x: number, t: number) => sde.drift(t) * x, diffusion2: (t: number) => sde.diffusion2(t) });

/** Midpoint values of the mixture on the grid, scaled to mass 1. */
function initial(grid: FpGrid, m: SmallMixture): Float64Array {
  const p = mixtureDensity(m, cellPoints(grid));
  const mass = gridMass(grid, p);
  return p.map((v) => v / mass);
}

/** L1 distance to the exact density at t of the mixture started at 0 and carried by the SDE, for a grid of n cells per axis. */
async function errorAt(sde: LabSde, m: SmallMixture, lo: number, hi: number, n: number, t: number): Promise<number> {
  const grid: FpGrid = { d: m.d, lo: Array(m.d).fill(lo), hi: Array(m.d).fill(hi), cells: Array(m.d).fill(n) };
  const sol = await solveFokkerPlanck(grid, fp(sde), initial(grid, m), [0, t]);
  const { mean: a, variance: v } = sde.transition(0, t);
  return gridL1(grid, sol.densities[1], mixtureDensity(transportMixture(m, a, v), cellPoints(grid)));
}

/** Least-squares slope of log error against log spacing. */
function order(ns: number[], errors: number[]): number {
  const xs = ns.map((n) => Math.log(1 / n));
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

const bimodal: SmallMixture = { d: 1, weights: [0.6, 0.4], means: [[-1.2], [1.5]], covariances: [[0.09], [0.25]] };
const twoD: SmallMixture = {
  d: 2,
  weights: [0.5, 0.5],
  means: [[-1, 0.5], [1.2, -0.8]],
  covariances: [[0.2, 0.05, 0.05, 0.15], [0.1, 0, 0, 0.3]],
};

describe('Fokker–Planck finite volumes', () => {
  it('flux coefficients: A - C = f, central at small Péclet, upwind without diffusion', () => {
    for (const [f, D] of [[0.7, 0.3], [-2, 0.01], [5, 1e-9]]) {
      const [A, C] = faceCoefficients(f, D, 0.1);
      expect(A - C).toBeCloseTo(f, 9);
      expect(A).toBeGreaterThanOrEqual(0);
      expect(C).toBeGreaterThanOrEqual(0);
    }
    // Pe -> 0: A ~ D/h + f/2, C ~ D/h - f/2 (the central flux)
    const [A, C] = faceCoefficients(1e-3, 1, 0.01);
    expect(A).toBeCloseTo(100 + 5e-4, 8);
    expect(C).toBeCloseTo(100 - 5e-4, 8);
    expect(faceCoefficients(-3, 0, 0.1)).toEqual([0, 3]);
  });

  it('keeps mass to rounding and p non-negative over hundreds of steps in 2-D', async () => {
    const grid: FpGrid = { d: 2, lo: [-4, -4], hi: [4, 4], cells: [48, 40] };
    const p0 = initial(grid, twoD);
    const sol = await solveFokkerPlanck(grid, fp(ouSde(2, 1.2)), p0, [0, 0.5, 1.5]);
    expect(sol.steps).toBeGreaterThanOrEqual(200);
    for (const p of sol.densities) {
      expect(Math.abs(gridMass(grid, p) - 1)).toBeLessThan(1e-12);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    }
  });

  it("takes the stable step: dt <= dx^2 / (d g^2) for pure diffusion", async () => {
    const grid: FpGrid = { d: 2, lo: [-3, -3], hi: [3, 3], cells: [30, 30] };
    const sol = await solveFokkerPlanck(grid, { drift: () => 0, diffusion2: () => 2 }, initial(grid, twoD), [0, 0.1], { maxDt: 1 });
    const h = 6 / 30;
    expect(sol.maxDt).toBeLessThanOrEqual((h * h) / (2 * 2) + 1e-15);
    expect(sol.minDt).toBeGreaterThan(0.85 * ((h * h) / (2 * 2)));
  });

  it('reaches the OU stationary density: its discrete Gibbs state exactly, N(0, sigma^2 / (2 theta)) to O(dx^2)', async () => {
    const theta = 1.3;
    const sigma = 0.9;
    const grid: FpGrid = { d: 1, lo: [-4], hi: [4], cells: [120] };
    const sol = await solveFokkerPlanck(grid, fp(ouSde(theta, sigma)), initial(grid, bimodal), [0, 25]);
    const p = sol.densities[1];
    const xs = cellCentres(grid, 0);
    // the scheme's steady state satisfies p_{i+1} / p_i = exp(-theta (x_{i+1}^2 - x_i^2) / sigma^2) exactly
    const gibbs = xs.map((x) => Math.exp((-theta * x * x) / (sigma * sigma)));
    const z = gridMass(grid, gibbs);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(p[i] - gibbs[i] / z)).toBeLessThan(1e-9);
    const std = sigma / Math.sqrt(2 * theta);
    const exact = xs.map((x) => Math.exp(-0.5 * (x / std) ** 2) / (std * Math.sqrt(2 * Math.PI)));
    expect(gridL1(grid, p, exact)).toBeLessThan(1e-3);
  });

  it('converges to the exact OU density at second order in the cell width', async () => {
    const ns = [40, 80, 160, 320];
    const errors: number[] = [];
    for (const n of ns) errors.push(await errorAt(ouSde(1.5, 0.8), bimodal, -4, 4.5, n, 0.6));
    const q = order(ns, errors);
    console.log(`OU 1-D: L1 errors ${errors.map((e) => e.toExponential(2)).join(', ')} at ${ns.join(', ')} cells; order ${q.toFixed(2)}`);
    expect(errors[3]).toBeLessThan(1e-3);
    expect(q).toBeGreaterThan(1.8);
    expect(q).toBeLessThan(2.3);
  });

  it("converges to the exact density of vp-linear's forward SDE at second order, in 1-D and 2-D", async () => {
    const sde = scheduleSde({ name: 'vp-linear' });
    const ns1 = [40, 80, 160, 320];
    const e1: number[] = [];
    for (const n of ns1) e1.push(await errorAt(sde, bimodal, -6, 6.5, n, 0.4));
    const ns2 = [24, 48, 96];
    const e2: number[] = [];
    for (const n of ns2) e2.push(await errorAt(sde, twoD, -4, 4, n, 0.3));
    const [q1, q2] = [order(ns1, e1), order(ns2, e2)];
    console.log(`vp-linear 1-D: ${e1.map((e) => e.toExponential(2)).join(', ')}; order ${q1.toFixed(2)}; 2-D: ${e2.map((e) => e.toExponential(2)).join(', ')}; order ${q2.toFixed(2)}`);
    expect(q1).toBeGreaterThan(1.8);
    expect(q2).toBeGreaterThan(1.8);
    expect(e2[2]).toBeLessThan(5e-3);
  });
});
