// Generic explicit ODE steps on flat arrays: linear combinations, RK4, adaptive Dormand–Prince 5(4).
import type { FloatArray } from '../batch';
import { like } from '../batch';
import { StudioError } from '../errors';

/** A vector field dy/dt = f(y, t) evaluated on a whole flat state. */
type Field<A extends FloatArray = FloatArray> = (y: A, t: number) => Promise<FloatArray>;

/** y + sum_j c_j k_j, in a new buffer of y's type. */
export function combine<A extends FloatArray>(y: A, terms: ReadonlyArray<readonly [number, FloatArray]>): A {
  const out = like(y);
  for (let i = 0; i < y.length; i++) {
    let s = y[i];
    for (const [c, k] of terms) if (c !== 0) s += c * k[i];
    out[i] = s;
  }
  return out;
}

/** One classical RK4 step of size h (negative h integrates backwards); k1 = f(y, t) may be given. */
export async function rk4Step<A extends FloatArray>(f: Field<A>, y: A, t: number, h: number, k1?: FloatArray): Promise<A> {
  const a = k1 ?? (await f(y, t));
  const b = await f(combine(y, [[h / 2, a]]), t + h / 2);
  const c = await f(combine(y, [[h / 2, b]]), t + h / 2);
  const d = await f(combine(y, [[h, c]]), t + h);
  return combine(y, [[h / 6, a], [h / 3, b], [h / 3, c], [h / 6, d]]);
}

// Dormand–Prince 5(4) tableau; the fifth-order weights equal the last stage row (FSAL).
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A: number[][] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
// Fifth- minus fourth-order weights: the embedded error estimate.
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

/** Settings of the adaptive driver. */
interface AdaptiveOptions<A extends FloatArray> {
  readonly rtol: number;
  readonly atol: number;
  readonly maxNfe: number;
  /** First trial step size (its sign is taken from the direction of integration). */
  readonly h0: number;
  /** Called after each accepted step with the new state and time. */
  readonly onAccept?: (y: A, t: number) => void;
}

/** Integrates from t0 to t1 with Dormand–Prince 5(4); returns the final state and NFE. */
export async function dopri5<A extends FloatArray>(
  f: Field<A>, y0: A, t0: number, t1: number, opts: AdaptiveOptions<A>, k1?: FloatArray,
): Promise<{ y: A; nfe: number }> {
  const dir = Math.sign(t1 - t0);
  let nfe = 0;
  let y = y0;
  let t = t0;
  let k = k1 ?? (nfe++, await f(y, t));
  let h = dir * Math.min(Math.abs(opts.h0), Math.abs(t1 - t0));
  while (dir * (t1 - t) > 1e-14) {
    if (nfe + 6 > opts.maxNfe) {
      throw new StudioError('invalid-argument', `dopri5 needs more than maxNfe = ${opts.maxNfe} evaluations at t = ${t}; loosen rtol/atol or raise maxNfe`);
    }
    const last = dir * (t + h - t1) >= 0;
    if (last) h = t1 - t;
    const ks: FloatArray[] = [k];
    for (let s = 1; s < 7; s++) {
      const ys = combine(y, A[s].map((a, j) => [h * a, ks[j]] as const));
      ks.push(await f(ys, last && s >= 5 ? t1 : t + C[s] * h));
      nfe++;
      if (s === 6) ks.push(ys); // the fifth-order solution, the state the last stage saw
    }
    const yNew = ks[7] as A;
    let err = 0;
    for (let i = 0; i < y.length; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += E[j] * ks[j][i];
      const scale = opts.atol + opts.rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      err += (h * e / scale) ** 2;
    }
    err = Math.sqrt(err / y.length);
    if (!Number.isFinite(err)) throw new StudioError('not-finite', `dopri5 met a non-finite state near t = ${t}`);
    if (err <= 1) {
      y = yNew;
      t = last ? t1 : t + h;
      k = ks[6];
      opts.onAccept?.(y, t);
    }
    // Standard controller: safety 0.9, growth limited to [0.2, 5].
    h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -1 / 5)));
    if (Math.abs(h) < 1e-12) throw new StudioError('not-finite', `dopri5 step size underflow near t = ${t}`);
  }
  return { y, nfe };
}
