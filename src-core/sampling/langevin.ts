// Langevin corrector steps at a fixed t with the step size set by a signal-to-noise ratio (MATH.md §5).
import { like, type FloatArray } from '../batch';
import type { Prediction, SamplerContext } from './types';

/** Mean over rows of the per-row Euclidean norm of a flat [n, d] array. */
function meanRowNorm(a: FloatArray, n: number): number {
  const d = a.length / n;
  let total = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[r * d + j] ** 2;
    total += Math.sqrt(s);
  }
  return total / n;
}

/** The corrector settings of the options: snr r and Langevin steps per level (the sampler's declared defaults where left out). */
export function correctorOf(ctx: SamplerContext): { snr: number; steps: number } {
  return { snr: ctx.option('snr'), steps: ctx.option('correctorSteps') };
}

/** One step x + e score + sqrt(2e) z with e = 2 (r mean||z|| / mean||score||)^2; uses the score already evaluated in p. */
function langevinStep(ctx: SamplerContext, p: Prediction, snr: number): FloatArray {
  const { x } = p;
  const n = ctx.shape[0];
  const score = p.score();
  const z = ctx.noise(x);
  const ratio = (snr * meanRowNorm(z, n)) / meanRowNorm(score, n);
  // A zero score (already at a mode of every row) leaves only noise; keep the step finite.
  const e = Number.isFinite(ratio) ? 2 * ratio * ratio : 0;
  const amp = Math.sqrt(2 * e);
  const out = like(x);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + e * score[i] + amp * z[i];
  return out;
}

/**
 * k Langevin steps at time t starting from x; returns the new state and the first prediction made.
 * Where sigma_t = 0 (t = 0 on 'linear') the score cannot be read from an x0/velocity prediction, so no step is taken.
 */
export async function correct(
  ctx: SamplerContext, x: FloatArray, t: number, steps: number, snr: number,
): Promise<{ x: FloatArray; first: Prediction | null }> {
  let first: Prediction | null = null;
  if (ctx.schedule.sigma(t) === 0) return { x, first };
  for (let k = 0; k < steps; k++) {
    const p = await ctx.evaluate(x, t);
    first ??= p;
    x = langevinStep(ctx, p, snr);
  }
  return { x, first };
}
