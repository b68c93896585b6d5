// Lab computation 'fokkerPlanck': a mixture's density carried by an SDE three ways (finite volumes, particles, the exact law) and the L1 distances between them over t.
import { z } from 'zod';
import { gaussianMixtureSchema, sampleMixture, factorMixture } from '../../oracle';
import { Rng } from '../../rng';
import { uniformGrid } from '../../simulate';
import { owned } from '../arrays';
import { defineComputation } from '../computation';
import { cellPoints, cellVolume, gridL1, gridMass, solveFokkerPlanck, type FpGrid } from '../fokker-planck';
import { mixtureDensity, mixtureRange, smallMixture, transportMixture } from '../mixture-marginal';
import { buildLabSde, labSdeSchema } from '../sde';
import { simulateSnapshots } from '../snapshots';
import { poissonMeanAbsDeviation } from '../stats';

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);

/** Standard deviations of room around every exact marginal, so the zero-flux edges hold back no visible mass. */
const MARGIN_SD = 5;

/** Cells of a grid per axis, at most. */
const MAX_CELLS = { 1: 1000, 2: 200 } as const;

/** The grid over the range every exact marginal occupies from 0 to tEnd. */
function gridFor(m: ReturnType<typeof smallMixture>, transition: (t: number) => { mean: number; variance: number }, tEnd: number, cells: number): FpGrid {
  const lo = Array.from({ length: m.d }, () => Infinity);
  const hi = Array.from({ length: m.d }, () => -Infinity);
  for (const t of uniformGrid(0, tEnd, 64)) {
    const { mean, variance } = transition(t);
    const r = mixtureRange(transportMixture(m, mean, variance), MARGIN_SD);
    for (let j = 0; j < m.d; j++) {
      lo[j] = Math.min(lo[j], r.lo[j]);
      hi[j] = Math.max(hi[j], r.hi[j]);
    }
  }
  if (m.d === 2) {
    // square cells: one width for both axes, the shorter axis widened about its centre
    const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
    for (let j = 0; j < 2; j++) {
      const c = (lo[j] + hi[j]) / 2;
      [lo[j], hi[j]] = [c - span / 2, c + span / 2];
    }
  }
  return { d: m.d, lo, hi, cells: Array.from({ length: m.d }, () => cells) };
}

/** Cell averages of a histogram of points (flat [n, d]) on the grid; points outside are not counted. */
function histogram(grid: FpGrid, points: Float32Array, n: number): Float64Array {
  const [nx, ny] = [grid.cells[0], grid.d === 2 ? grid.cells[1] : 1];
  const out = new Float64Array(nx * ny);
  const w = 1 / (n * cellVolume(grid));
  const hx = (grid.hi[0] - grid.lo[0]) / nx;
  const hy = grid.d === 2 ? (grid.hi[1] - grid.lo[1]) / ny : 1;
  for (let i = 0; i < n; i++) {
    const ix = Math.floor((points[i * grid.d] - grid.lo[0]) / hx);
    const iy = grid.d === 2 ? Math.floor((points[i * 2 + 1] - grid.lo[1]) / hy) : 0;
    if (ix >= 0 && ix < nx && iy >= 0 && iy < ny) out[iy * nx + ix] += w;
  }
  return out;
}

/** E L1(histogram of n draws, exact) when counts are Poisson: sum over cells of E|X - lambda| / n. */
function samplingFloor(grid: FpGrid, exact: Float64Array, n: number): number {
  const vol = cellVolume(grid);
  let s = 0;
  for (const q of exact) s += poissonMeanAbsDeviation(n * q * vol);
  return s / n;
}

/** The Fokker–Planck equation dp/dt = -div(f p) + (g^2/2) lap p of OU or of a schedule's forward SDE (MATH.md §9). */
export const fokkerPlanckComputation = defineComputation({
  name: 'fokkerPlanck',
  title: 'A density carried by the Fokker–Planck equation, by particles and exactly',
  params: z
    .strictObject({
      dim: z.union([z.literal(1), z.literal(2)]).default(1),
      /** A two-dimensional Gaussian mixture; in 1-D its first coordinate's marginal. */
      mixture: gaussianMixtureSchema,
      sde: labSdeSchema.default({ kind: 'ou', theta: 1, sigma: 1 }),
      tEnd: z.number().gt(0).max(20).default(1),
      cells: z.number().int().min(8).max(MAX_CELLS[1]).default(160),
      particles: z.number().int().min(100).max(200_000).default(20_000),
      /** Euler–Maruyama steps of the particles between two snapshots. */
      particleSteps: z.number().int().min(1).max(1000).default(10),
      snapshots: z.number().int().min(2).max(101).default(41),
      seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    })
    .refine((p) => p.cells <= MAX_CELLS[p.dim], { message: `a 2-D grid takes at most ${MAX_CELLS[2]} cells per axis`, path: ['cells'] }),
  result: z.object({
    dim: z.number().int(),
    lo: z.array(z.number()),
    hi: z.array(z.number()),
    cells: z.array(z.number().int()),
    times: f64,
    /** Densities [snapshots, cells] (2-D: cells row-major, x fastest, the first row at the bottom). */
    fp: f32,
    particles: f32,
    exact: f32,
    /** L1 distances at each snapshot, and the L1 distance a histogram of exact draws would show from sampling alone. */
    l1: z.object({ fpExact: f64, particlesExact: f64, fpParticles: f64, samplingFloor: f64 }),
    /** Total mass of the finite-volume density minus 1 at each snapshot. */
    massError: f64,
    /** Time steps the solver took, and its smallest (stable) step. */
    steps: z.number().int(),
    minDt: z.number(),
  }),
  async run(p, ctx) {
    const sde = buildLabSde(p.sde);
    const tEnd = Math.min(p.tEnd, sde.tMax);
    const m = smallMixture(p.mixture, p.dim);
    const grid = gridFor(m, (t) => sde.transition(0, t), tEnd, p.cells);
    const centres = cellPoints(grid);
    const times = uniformGrid(0, tEnd, p.snapshots - 1);
    const exactAt = (t: number) => {
      const { mean, variance } = sde.transition(0, t);
      return mixtureDensity(transportMixture(m, mean, variance), centres);
    };
    // the solver starts from the exact density's midpoint values, scaled to mass 1
    const start = exactAt(0);
    const mass0 = gridMass(grid, start);
    for (let i = 0; i < start.length; i++) start[i] /= mass0;
    const fp = { drift: (x: number, t: number) => sde.drift(t) * x, diffusion2: (t: number) => sde.diffusion2(t) };
    const share = 0.7; // of the progress bar: the solver; the rest the particles and distances
    const solution = await solveFokkerPlanck(grid, fp, start, times, { progress: (t) => ctx.progress(share * (t / tEnd), 1) });

    const rng = new Rng(p.seed);
    const draws = sampleMixture(factorMixture(p.mixture), p.particles, rng).data;
    const x0 = p.dim === 2 ? draws : Float64Array.from({ length: p.particles }, (_, i) => draws[2 * i]);
    const scaled = { ...ctx, progress: (done: number, total: number) => ctx.progress(share + ((1 - share) * done) / total, 1) };
    const { frames } = await simulateSnapshots(sde, times, x0, p.dim, { stepsPerGap: p.particleSteps, method: 'euler-maruyama', rng, ctx: scaled });

    const K = times.length;
    const size = centres.length / p.dim;
    const out = { fp: new Float32Array(K * size), particles: new Float32Array(K * size), exact: new Float32Array(K * size) };
    const l1 = { fpExact: new Float64Array(K), particlesExact: new Float64Array(K), fpParticles: new Float64Array(K), samplingFloor: new Float64Array(K) };
    const massError = new Float64Array(K);
    const frameSize = p.particles * p.dim;
    for (let k = 0; k < K; k++) {
      const density = solution.densities[k];
      const exact = exactAt(times[k]);
      const hist = histogram(grid, frames.subarray(k * frameSize, (k + 1) * frameSize), p.particles);
      out.fp.set(density, k * size);
      out.exact.set(exact, k * size);
      out.particles.set(hist, k * size);
      l1.fpExact[k] = gridL1(grid, density, exact);
      l1.particlesExact[k] = gridL1(grid, hist, exact);
      l1.fpParticles[k] = gridL1(grid, density, hist);
      l1.samplingFloor[k] = samplingFloor(grid, exact, p.particles);
      massError[k] = gridMass(grid, density) - 1;
    }
    return { dim: p.dim, lo: [...grid.lo], hi: [...grid.hi], cells: [...grid.cells], times: owned(times), ...out, l1, massError, steps: solution.steps, minDt: solution.minDt };
  },
});
