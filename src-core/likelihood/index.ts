// Exact likelihood through the probability-flow ODE: log p_0(x) = log p_1(x_1) + integral of div u (MATH.md §6).
import { rowSize, rows, type Batch, type FloatArray } from '../batch';
import { StudioError, check, checkAllFinite, checkInteger } from '../errors';
import type { Model } from '../model';
import { predictAs } from '../parameterisation';
import type { Rng } from '../rng';
import { dopri5, rk4Step } from '../sampling/ode';
import type { CancelSignal } from '../sampling/types';
import { basisDirections, differenceStep, divergenceByDifferences, divergenceByVjp, type VelocityVjp } from './divergence';

export { type VelocityVjp } from './divergence';

/** How the likelihood ODE is integrated and the divergence estimated. */
interface LikelihoodOptions {
  /** 'rk4' on a uniform grid (default) or adaptive 'dopri5'. */
  readonly solver?: 'rk4' | 'dopri5';
  /** RK4 steps (default 50). */
  readonly steps?: number;
  /** dopri5 tolerances and evaluation budget (defaults 1e-5, 1e-5, 200000). */
  readonly rtol?: number;
  readonly atol?: number;
  readonly maxNfe?: number;
  /** Start time (default the schedule's tMin; 0 is fine where sigma_0 = 0 keeps u finite) and end (default 1). */
  readonly tMin?: number;
  readonly tMax?: number;
  /** 'exact' (d directional derivatives, default) or 'hutchinson' (needs rng). */
  readonly divergence?: 'exact' | 'hutchinson';
  /** Rademacher probes for Hutchinson, drawn once and kept for the whole solve (default 4). */
  readonly probes?: number;
  readonly rng?: Rng;
  /** Central-difference step; default differenceStep(x) for the buffer's precision. */
  readonly h?: number;
  /** A true vector–Jacobian product of the velocity; replaces central differences when given. */
  readonly gradient?: VelocityVjp;
  readonly cancel?: CancelSignal;
  readonly onStep?: (info: { step: number; t: number; nfe: number }) => void;
}

/** Per-row log p_0, its mean, the NLL in nats and bits per dimension, NFE, and the latents x_1. */
interface LikelihoodResult {
  readonly logp: Float64Array;
  readonly meanLogp: number;
  /** Mean negative log-likelihood in nats per point. */
  readonly nats: number;
  /** -meanLogp / (d ln 2). */
  readonly bpd: number;
  readonly nfe: number;
  readonly x1: Batch<Float64Array>;
}

/** log p_0 of each row of x by integrating (x, log-det) along the PF-ODE from tMin to tMax, prior N(0, sigma_1^2 I). */
export async function logLikelihood(model: Model, x: Batch, options: LikelihoodOptions = {}): Promise<LikelihoodResult> {
  check(x && (x.data instanceof Float32Array || x.data instanceof Float64Array) && Array.isArray(x.shape), 'x must be a batch', 'invalid-shape');
  const n = rows(x);
  const d = rowSize(x);
  check(n >= 1 && d >= 1 && n * d === x.data.length, `x has shape [${x.shape.join(', ')}] but ${x.data.length} numbers`, 'invalid-shape');
  checkAllFinite(x.data, 'x');
  const schedule = model.schedule;
  const t0 = options.tMin ?? schedule.tMin;
  const t1 = options.tMax ?? 1;
  check(0 <= t0 && t0 < t1 && t1 <= 1, `likelihood needs 0 <= tMin < tMax <= 1, got ${t0}, ${t1}`);
  const method = options.divergence ?? 'exact';
  check(method === 'exact' || method === 'hutchinson', `unknown divergence '${String(method)}'; known: exact, hutchinson`, 'unknown-name');
  const solver = options.solver ?? 'rk4';
  check(solver === 'rk4' || solver === 'dopri5', `unknown likelihood solver '${String(solver)}'; known: rk4, dopri5`, 'unknown-name');
  const shape = [...x.shape];
  const kind = x.data instanceof Float64Array ? Float64Array : Float32Array;
  let nfe = 0;

  // Probes are drawn once: a fixed field keeps the augmented ODE deterministic for the adaptive solver.
  let directions: FloatArray[];
  let weight = 1;
  if (method === 'exact') directions = basisDirections(x.data, d);
  else {
    const probes = options.probes ?? 4;
    checkInteger(probes, 'probes', 1);
    if (!options.rng) throw new StudioError('invalid-argument', 'Hutchinson divergence needs an rng for its probes');
    const rng = options.rng;
    directions = Array.from({ length: probes }, () => rng.fillRademacher(new kind(x.data.length)));
    weight = 1 / probes;
  }

  const velocity = async (y: FloatArray, t: number): Promise<FloatArray> => {
    if (options.cancel?.aborted) throw new StudioError('cancelled', `likelihood cancelled at t = ${t}`);
    nfe++;
    return predictAs(model, { data: y, shape }, t, 'velocity');
  };

  // The augmented state [x (n d) | integral of div u (n)], kept in float64; the model sees x in the input's precision.
  const field = async (state: Float64Array, t: number): Promise<Float64Array> => {
    const xs = new kind(n * d);
    xs.set(state.subarray(0, n * d));
    let u: FloatArray;
    let div: Float64Array;
    if (options.gradient) {
      const hook = options.gradient;
      const counted: VelocityVjp = (a, b, c) => {
        if (options.cancel?.aborted) throw new StudioError('cancelled', `likelihood cancelled at t = ${t}`);
        nfe++;
        return hook(a, b, c);
      };
      ({ div, velocity: u } = await divergenceByVjp(counted, xs, t, d, directions, weight));
    } else {
      u = await velocity(xs, t);
      div = await divergenceByDifferences(velocity, xs, t, d, directions, weight, options.h ?? differenceStep(xs));
    }
    const out = new Float64Array(state.length);
    for (let i = 0; i < n * d; i++) out[i] = u[i];
    out.set(div, n * d);
    return out;
  };

  let state = new Float64Array(n * d + n);
  for (let i = 0; i < n * d; i++) state[i] = x.data[i];
  let step = 0;
  const report = (t: number) => options.onStep?.({ step: ++step, t, nfe });
  if (solver === 'rk4') {
    const steps = options.steps ?? 50;
    checkInteger(steps, 'steps', 1);
    for (let i = 0; i < steps; i++) {
      const ta = t0 + ((t1 - t0) * i) / steps;
      const tb = i + 1 === steps ? t1 : t0 + ((t1 - t0) * (i + 1)) / steps;
      state = await rk4Step(field, state, ta, tb - ta);
      report(tb);
    }
  } else {
    const r = await dopri5(field, state, t0, t1, {
      rtol: options.rtol ?? 1e-5, atol: options.atol ?? 1e-5, maxNfe: options.maxNfe ?? 200000, h0: (t1 - t0) / 20,
      onAccept: (_y, t) => report(t),
    });
    state = r.y;
  }

  // Prior N(alpha_1 * 0, sigma_1^2 I): exact where alpha_1 = 0 (linear), close for VP and VE.
  const sigma1 = schedule.sigma(t1);
  const logp = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let j = r * d; j < (r + 1) * d; j++) sq += state[j] * state[j];
    logp[r] = -0.5 * sq / (sigma1 * sigma1) - d * Math.log(sigma1) - 0.5 * d * Math.log(2 * Math.PI) + state[n * d + r];
  }
  checkAllFinite(logp, 'log-likelihood');
  const meanLogp = logp.reduce((a, b) => a + b, 0) / n;
  return { logp, meanLogp, nats: -meanLogp, bpd: -meanLogp / (d * Math.LN2), nfe, x1: { data: state.slice(0, n * d), shape } };
}
