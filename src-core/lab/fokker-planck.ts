// A conservative finite-volume solver of the Fokker–Planck equation dp/dt = -div(f p) + (g^2/2) lap p in 1 or 2 dimensions (MATH.md §9).
//
// Cell averages on a uniform grid; the flux through each face is the Scharfetter–Gummel flux, which is central
// (second order) where diffusion dominates, upwind where drift does, never makes p negative, and holds the discrete
// Gibbs state of a linear drift exactly. Faces on the domain's edge carry no flux, so every step moves mass between
// cells and the total is kept to rounding. Time steps are Heun's (SSP-RK2: the mean of the start and of two explicit
// Euler stages), second order in dt and positive while each stage's dt is at most 1 / (the largest outflow rate of a
// cell) at its time, which for pure diffusion is the bound dt <= dx^2 / (d g^2).
import { check, checkInteger } from '../errors';

/** A uniform grid of cells over a box; 2-D cells are row-major with x fastest (index iy * nx + ix, iy = 0 at the bottom). */
export interface FpGrid {
  readonly d: 1 | 2;
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly cells: readonly number[];
}

/** The SDE dX_j = drift(X_j, t) dt + g(t) dW_j, coordinate by coordinate (the linear SDEs of the Lab are of this kind). */
interface FpSde {
  drift(x: number, t: number): number;
  diffusion2(t: number): number;
}

/** Width of one cell along an axis. */
function cellWidth(grid: FpGrid, axis: number): number {
  return (grid.hi[axis] - grid.lo[axis]) / grid.cells[axis];
}

/** Cell centres along an axis. */
export function cellCentres(grid: FpGrid, axis: number): Float64Array {
  const h = cellWidth(grid, axis);
  return Float64Array.from({ length: grid.cells[axis] }, (_, i) => grid.lo[axis] + (i + 0.5) * h);
}

/** Every cell's centre as flat [cells, d] points, in the grid's cell order. */
export function cellPoints(grid: FpGrid): Float64Array {
  const xs = cellCentres(grid, 0);
  if (grid.d === 1) return xs;
  const ys = cellCentres(grid, 1);
  const out = new Float64Array(xs.length * ys.length * 2);
  for (let iy = 0; iy < ys.length; iy++) {
    for (let ix = 0; ix < xs.length; ix++) {
      out[2 * (iy * xs.length + ix)] = xs[ix];
      out[2 * (iy * xs.length + ix) + 1] = ys[iy];
    }
  }
  return out;
}

/** Volume of one cell (dx, or dx dy). */
export function cellVolume(grid: FpGrid): number {
  return grid.d === 1 ? cellWidth(grid, 0) : cellWidth(grid, 0) * cellWidth(grid, 1);
}

/** Total mass sum p_i |cell| of cell averages. */
export function gridMass(grid: FpGrid, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i];
  return s * cellVolume(grid);
}

/** L1 distance sum |p_i - q_i| |cell| between two densities on the grid. */
export function gridL1(grid: FpGrid, p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
  return s * cellVolume(grid);
}

/** B(z) = z / (e^z - 1), the Bernoulli function of the Scharfetter–Gummel flux (B(0) = 1). */
function bernoulli(z: number): number {
  if (Math.abs(z) < 1e-10) return 1 - z / 2;
  return z / Math.expm1(z);
}

/**
 * Coefficients of the flux F = A p_left - C p_right through a face with drift f and diffusion D = g^2/2 at
 * spacing h: A = (D/h) B(-Pe), C = (D/h) B(Pe), Pe = f h / D; pure upwinding when D = 0. A - C = f always.
 */
export function faceCoefficients(f: number, D: number, h: number): [number, number] {
  if (!(D > 0)) return [Math.max(f, 0), Math.max(-f, 0)];
  const pe = (f * h) / D;
  return [(D / h) * bernoulli(-pe), (D / h) * bernoulli(pe)];
}

/** Per axis, the face coefficients at time t (faces between cells i and i + 1, cells - 1 of them). */
function faces(grid: FpGrid, sde: FpSde, t: number): { A: Float64Array; C: Float64Array; h: number }[] {
  const D = sde.diffusion2(t) / 2;
  check(Number.isFinite(D) && D >= 0, `g^2 at t = ${t} is ${2 * D}: the Fokker–Planck solver needs a finite diffusion`);
  return grid.cells.map((n, axis) => {
    const h = cellWidth(grid, axis);
    const A = new Float64Array(n - 1);
    const C = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      const f = sde.drift(grid.lo[axis] + (i + 1) * h, t);
      check(Number.isFinite(f), `the drift at t = ${t} is not finite`);
      [A[i], C[i]] = faceCoefficients(f, D, h);
    }
    return { A, C, h };
  });
}

/** The largest rate at which a cell loses mass: dt = safety / rate keeps every step positive and stable. */
function maxOutflowRate(fs: { A: Float64Array; C: Float64Array; h: number }[]): number {
  let total = 0;
  for (const { A, C, h } of fs) {
    let worst = 0;
    for (let i = 0; i <= A.length; i++) worst = Math.max(worst, ((i < A.length ? A[i] : 0) + (i > 0 ? C[i - 1] : 0)) / h);
    total += worst;
  }
  return total;
}

type Faces = { A: Float64Array; C: Float64Array; h: number }[];

/** Adds dt times the flux divergence of p to out (out may be p itself only when scratch is separate). */
function eulerStage(grid: FpGrid, p: Float64Array, out: Float64Array, fs: Faces, dt: number): void {
  out.set(p);
  const nx = grid.cells[0];
  const ny = grid.d === 2 ? grid.cells[1] : 1;
  // x faces, row by row
  const { A: Ax, C: Cx, h: hx } = fs[0];
  const kx = dt / hx;
  for (let iy = 0; iy < ny; iy++) {
    const row = iy * nx;
    for (let i = 0; i < nx - 1; i++) {
      const flux = kx * (Ax[i] * p[row + i] - Cx[i] * p[row + i + 1]);
      out[row + i] -= flux;
      out[row + i + 1] += flux;
    }
  }
  if (grid.d === 2) {
    const { A: Ay, C: Cy, h: hy } = fs[1];
    const ky = dt / hy;
    for (let j = 0; j < ny - 1; j++) {
      const a = ky * Ay[j];
      const c = ky * Cy[j];
      const below = j * nx;
      const above = below + nx;
      for (let i = 0; i < nx; i++) {
        const flux = a * p[below + i] - c * p[above + i];
        out[below + i] -= flux;
        out[above + i] += flux;
      }
    }
  }
}

/** Options of solveFokkerPlanck. */
interface FpSolveOptions {
  /** Fraction of the stability bound each step takes (default 0.9, at most 1). */
  readonly safety?: number;
  /** Longest step, so coefficients that change in time are followed (default 1/200 of the whole time span). */
  readonly maxDt?: number;
  /** Most steps before giving up (default 5,000,000). */
  readonly maxSteps?: number;
  /** Awaited every step with the time reached: progress, turns of the event loop, cancel. */
  readonly progress?: (t: number, tEnd: number) => Promise<void> | void;
}

/** What solveFokkerPlanck returns: the density at each asked time, and the steps it took. */
interface FpSolution {
  readonly densities: Float64Array[];
  readonly steps: number;
  readonly minDt: number;
  readonly maxDt: number;
}

/** Evolves the cell averages p0 (given at times[0]) to each later time of the increasing list, copying the density at each. */
export async function solveFokkerPlanck(grid: FpGrid, sde: FpSde, p0: Float64Array, times: ArrayLike<number>, options: FpSolveOptions = {}): Promise<FpSolution> {
  check(grid.d === 1 || grid.d === 2, `the solver works in 1 or 2 dimensions, got ${grid.d}`);
  check(grid.lo.length === grid.d && grid.hi.length === grid.d && grid.cells.length === grid.d, 'the grid needs lo, hi and cells for each dimension');
  for (let j = 0; j < grid.d; j++) {
    checkInteger(grid.cells[j], `cells[${j}]`, 2);
    check(grid.hi[j] > grid.lo[j], `the grid's axis ${j} is empty`);
  }
  const size = grid.cells.reduce((a, b) => a * b, 1);
  check(p0.length === size, `p0 has ${p0.length} values for ${size} cells`);
  const safety = options.safety ?? 0.9;
  check(safety > 0 && safety <= 1, `safety must be in (0, 1], got ${safety}`);
  const maxSteps = options.maxSteps ?? 5_000_000;
  for (let k = 1; k < times.length; k++) check(times[k] >= times[k - 1], 'the times must not decrease');
  const p = Float64Array.from(p0);
  const stage1 = new Float64Array(size);
  const stage2 = new Float64Array(size);
  const densities: Float64Array[] = [Float64Array.from(p)];
  let t = times[0];
  let steps = 0;
  let minDt = Infinity;
  let maxDt = 0;
  const tEnd = times[times.length - 1];
  const cap = options.maxDt ?? (tEnd - times[0]) / 200;
  check(cap > 0 || tEnd === times[0], `maxDt must be positive, got ${cap}`);
  for (let k = 1; k < times.length; k++) {
    const target = times[k];
    while (t < target) {
      const fs0 = faces(grid, sde, t);
      let stable = Math.min(cap, safety / maxOutflowRate(fs0));
      let fs1 = faces(grid, sde, t + Math.min(stable, target - t));
      // the second stage runs on the coefficients at t + dt: its rate bounds dt as well
      const rate1 = maxOutflowRate(fs1);
      if (stable * rate1 > safety) {
        stable = safety / rate1;
        fs1 = faces(grid, sde, t + Math.min(stable, target - t));
      }
      // land on the target exactly, and never leave a sliver of a step behind
      const remaining = target - t;
      const last = remaining - Math.min(stable, remaining) <= 1e-12 * Math.max(1, Math.abs(target));
      const dt = last ? remaining : stable;
      if (last && dt !== Math.min(stable, remaining)) fs1 = faces(grid, sde, target);
      eulerStage(grid, p, stage1, fs0, dt);
      eulerStage(grid, stage1, stage2, fs1, dt);
      for (let i = 0; i < size; i++) p[i] = 0.5 * (p[i] + stage2[i]);
      t = last ? target : t + dt;
      steps++;
      // the short last step of a stretch says nothing about the stable step
      if (!last) minDt = Math.min(minDt, dt);
      maxDt = Math.max(maxDt, dt);
      check(steps <= maxSteps, `the Fokker–Planck solver needed more than ${maxSteps} steps: use fewer cells or a shorter time`);
      await options.progress?.(t, tEnd);
    }
    densities.push(Float64Array.from(p));
  }
  return { densities, steps, minDt: Number.isFinite(minDt) ? minDt : maxDt, maxDt };
}
