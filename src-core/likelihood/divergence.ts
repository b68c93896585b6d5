// div u(x, t) per row: exact (d directional derivatives) or Hutchinson (Rademacher probes), by central differences or a VJP hook.
import { like, type FloatArray } from '../batch';
import { StudioError } from '../errors';

/** u and the vector–Jacobian product v^T (du/dx) at (x, t), for models with true gradients (one call counts as one NFE). */
export type VelocityVjp = (x: FloatArray, t: number, v: FloatArray) => Promise<{ velocity: FloatArray; vjp: FloatArray }>;

/** The velocity field alone: one network evaluation. */
type VelocityFn = (x: FloatArray, t: number) => Promise<FloatArray>;

/**
 * The central-difference step for a buffer type: cube root of its machine epsilon (balances the
 * h^2 truncation against rounding of u, about eps / h), scaled by the state's RMS when above 1.
 * float32: 4.9e-3, float64: 6.1e-6 (times the scale).
 */
export function differenceStep(x: FloatArray): number {
  const eps = x instanceof Float64Array ? Number.EPSILON : 2 ** -23;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.cbrt(eps) * Math.max(1, Math.sqrt(s / Math.max(x.length, 1)));
}

/** The d unit directions e_j applied to every row at once (exact divergence), each a full [n, d] array. */
export function basisDirections(x: FloatArray, d: number): FloatArray[] {
  const out: FloatArray[] = [];
  for (let j = 0; j < d; j++) {
    const e = like(x);
    for (let i = j; i < x.length; i += d) e[i] = 1;
    out.push(e);
  }
  return out;
}

/** Adds, per row, the mean over directions of z . (J z), with J z by central differences of step h. */
export async function divergenceByDifferences(
  u: VelocityFn, x: FloatArray, t: number, d: number, directions: readonly FloatArray[], weight: number, h: number,
): Promise<Float64Array> {
  const n = x.length / d;
  const div = new Float64Array(n);
  const shifted = (z: FloatArray, sign: number): FloatArray => {
    const y = like(x);
    for (let i = 0; i < x.length; i++) y[i] = x[i] + sign * h * z[i];
    return y;
  };
  for (const z of directions) {
    const xp = shifted(z, 1);
    const xm = shifted(z, -1);
    const up = await u(xp, t);
    const um = await u(xm, t);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = r * d; j < (r + 1) * d; j++) {
        // Divide by the step actually taken: x + h z rounds in float32, and the difference must use the rounded step.
        const dx = xp[j] - xm[j];
        if (dx !== 0) s += z[j] * z[j] * ((up[j] - um[j]) / dx);
      }
      div[r] += weight * s;
    }
  }
  if (!div.every(Number.isFinite)) throw new StudioError('not-finite', `the divergence is not finite at t = ${t}`);
  return div;
}

/** Per row, the mean over directions of (z^T J) . z from a VJP hook; also returns u at x. */
export async function divergenceByVjp(
  vjp: VelocityVjp, x: FloatArray, t: number, d: number, directions: readonly FloatArray[], weight: number,
): Promise<{ div: Float64Array; velocity: FloatArray }> {
  const n = x.length / d;
  const div = new Float64Array(n);
  let velocity: FloatArray | null = null;
  for (const z of directions) {
    const r = await vjp(x, t, z);
    velocity ??= r.velocity;
    for (let row = 0; row < n; row++) {
      let s = 0;
      for (let j = row * d; j < (row + 1) * d; j++) s += r.vjp[j] * z[j];
      div[row] += weight * s;
    }
  }
  if (velocity === null) throw new StudioError('invalid-argument', 'the divergence needs at least one direction');
  return { div, velocity };
}
