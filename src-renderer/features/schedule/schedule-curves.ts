// Pure helpers of the Schedule section: curves sampled over t, monotone control-point edits, the noised-point strip.
import type { Schedule } from '../../../src-core/schedules';

/** A control point of the custom log-SNR curve. */
export interface ControlPoint {
  readonly t: number;
  readonly logSnr: number;
}

/** The log-SNR range the editor allows (the spec allows +-100; beyond +-20 alpha or sigma is below 5e-5). */
export const LOG_SNR_LIMIT = 20;
/** Smallest gap kept between neighbouring control points, in t and in log-SNR. */
const MIN_T_GAP = 0.01;
const MIN_LOG_SNR_GAP = 0.05;

/** The schedule's quantities at `count` evenly spaced t in [0, 1]; a non-finite value becomes NaN. */
export interface ScheduleCurves {
  readonly t: Float64Array;
  readonly alpha: Float64Array;
  readonly sigma: Float64Array;
  readonly logSnr: Float64Array;
  readonly g2: Float64Array;
}

/** Samples alpha, sigma, log-SNR and g^2 of a schedule on an even grid of t. */
export function sampleCurves(schedule: Schedule, count = 201): ScheduleCurves {
  const out = { t: new Float64Array(count), alpha: new Float64Array(count), sigma: new Float64Array(count), logSnr: new Float64Array(count), g2: new Float64Array(count) };
  const finite = (v: number) => (Number.isFinite(v) ? v : NaN);
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    out.t[i] = t;
    out.alpha[i] = finite(schedule.alpha(t));
    out.sigma[i] = finite(schedule.sigma(t));
    out.logSnr[i] = finite(schedule.logSnr(t));
    out.g2[i] = finite(schedule.g2(t));
  }
  return out;
}

/** [t, value] pairs for a chart, leaving out NaN (and, for a log axis, non-positive) values. */
export function pairs(t: Float64Array, v: Float64Array, positiveOnly = false): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < t.length; i++) {
    const y = v[i];
    if (Number.isNaN(y) || (positiveOnly && y <= 0)) continue;
    out.push([t[i], y]);
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Moves control point i towards (t, logSnr), clamped so the curve stays a valid schedule: t strictly between
 * its neighbours (the ends stay at t = 0 and t = 1) and log-SNR strictly below the left and above the right neighbour.
 */
export function movePoint(points: readonly ControlPoint[], i: number, t: number, logSnr: number): ControlPoint[] {
  const last = points.length - 1;
  const prev = points[i - 1];
  const next = points[i + 1];
  const nt = i === 0 ? 0 : i === last ? 1 : clamp(t, prev.t + MIN_T_GAP, next.t - MIN_T_GAP);
  const hi = prev ? prev.logSnr - MIN_LOG_SNR_GAP : LOG_SNR_LIMIT;
  const lo = next ? next.logSnr + MIN_LOG_SNR_GAP : -LOG_SNR_LIMIT;
  const nl = clamp(logSnr, lo, hi);
  return points.map((p, k) => (k === i ? { t: round(nt), logSnr: round(nl) } : p));
}

/** Inserts a point at t (between two existing ones) on the given curve value, kept strictly between its neighbours. */
export function insertPoint(points: readonly ControlPoint[], t: number, logSnr: number): ControlPoint[] | null {
  const at = points.findIndex((p) => p.t > t);
  if (at <= 0) return null;
  const prev = points[at - 1];
  const next = points[at];
  if (t - prev.t < MIN_T_GAP || next.t - t < MIN_T_GAP || prev.logSnr - next.logSnr < 2 * MIN_LOG_SNR_GAP) return null;
  const l = clamp(logSnr, next.logSnr + MIN_LOG_SNR_GAP, prev.logSnr - MIN_LOG_SNR_GAP);
  return [...points.slice(0, at), { t: round(t), logSnr: round(l) }, ...points.slice(at)];
}

/** Removes an interior point (the ends and a two-point curve stay). */
export function removePoint(points: readonly ControlPoint[], i: number): ControlPoint[] | null {
  if (i <= 0 || i >= points.length - 1 || points.length <= 2) return null;
  return points.filter((_, k) => k !== i);
}

/** Control points that follow a schedule's log-SNR at `count` even t, held inside +-LOG_SNR_LIMIT and strictly decreasing. */
export function pointsFromSchedule(schedule: Schedule, count = 6): ControlPoint[] {
  const out: ControlPoint[] = [];
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const raw = schedule.logSnr(t);
    const v = Number.isNaN(raw) ? 0 : clamp(raw, -LOG_SNR_LIMIT, LOG_SNR_LIMIT);
    out.push({ t, logSnr: v });
  }
  // Clamping can flatten the ends; spread them again so every step goes down by at least the minimum gap.
  const fixed = out.map((p) => ({ ...p }));
  for (let i = 1; i < count; i++) fixed[i].logSnr = Math.min(fixed[i].logSnr, fixed[i - 1].logSnr - MIN_LOG_SNR_GAP);
  const shift = Math.min(0, fixed[count - 1].logSnr + LOG_SNR_LIMIT);
  return fixed.map((p, i) => ({ t: p.t, logSnr: round(p.logSnr - (shift * i) / (count - 1)) }));
}

/** Rounds to 4 decimals so specs stay readable in config files. */
function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/** The times at which the strip shows the noised data. */
export const STRIP_TIMES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1] as const;

/** x_t = alpha_t x0 + sigma_t eps for every row of x0 ([n, 2], row-major) with the same eps. */
export function noised(schedule: Schedule, t: number, x0: Float32Array, eps: Float32Array): Float32Array {
  const a = schedule.alpha(t);
  const s = schedule.sigma(t);
  const out = new Float32Array(x0.length);
  for (let i = 0; i < x0.length; i++) out[i] = a * x0[i] + s * eps[i];
  return out;
}
