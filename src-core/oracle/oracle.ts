// The analytic oracle (MATH.md §8): exact score, denoiser, eps, v, velocity and log p_t of a Gaussian mixture under any schedule.
import { batch, like, rowSize, rows, type Batch, type FloatArray } from '../batch';
import { StudioError, check, checkFinite } from '../errors';
import type { Model, Parameterisation } from '../model';
import { PARAMETERISATIONS } from '../model';
import type { Rng } from '../rng';
import type { Schedule } from '../schedules/schedule';
import { cholesky, logDetFromCholesky, matVec, solveLower, solveUpperT, type Matrix } from './linalg';
import { factorMixture, sampleMixture, type GaussianMixture } from './mixture';

/** An exact model of Gaussian-mixture data: a Model plus every quantity of MATH.md §2 in closed form. */
export interface Oracle extends Model {
  /** The validated mixture (weights normalised). */
  readonly mixture: GaussianMixture;
  /** Dimension d of the data. */
  readonly dim: number;
  /** The chosen parameterisation, synchronously, in a buffer of x.data's type (computed in float64). */
  predict(x: Batch, t: number): FloatArray;
  /** grad_x log p_t(x), per row. */
  score(x: Batch, t: number): Float64Array;
  /** E[x0 | x_t = x] (the exact denoiser). */
  x0(x: Batch, t: number): Float64Array;
  /** E[eps | x_t = x] = -sigma score. */
  eps(x: Batch, t: number): Float64Array;
  /** alpha eps - sigma x0. */
  v(x: Batch, t: number): Float64Array;
  /** alpha' x0 + sigma' eps, the probability-flow velocity. */
  velocity(x: Batch, t: number): Float64Array;
  /** log p_t(x) per row. */
  logDensity(x: Batch, t: number): Float64Array;
  /** n exact draws from p_0 (the data mixture). */
  sample(n: number, rng: Rng): Batch<Float64Array>;
  /** n exact draws of x_t = alpha_t x0 + sigma_t eps. */
  sampleAt(t: number, n: number, rng: Rng): Batch<Float64Array>;
}

/** Per-time constants of one component: C = alpha^2 S + sigma^2 I factored, and G = alpha S. */
interface ComponentAtT {
  readonly chol: Matrix;
  readonly logNorm: number;
  readonly gain: Matrix;
}

interface Evaluation {
  readonly score: Float64Array;
  readonly x0: Float64Array;
  readonly logDensity: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Builds the exact model of a Gaussian mixture under a schedule; predict returns the chosen parameterisation. */
export function createOracle(mixture: unknown, schedule: Schedule, parameterisation: Parameterisation = 'velocity'): Oracle {
  check(PARAMETERISATIONS.includes(parameterisation), `unknown parameterisation '${String(parameterisation)}'`);
  const f = factorMixture(mixture);
  const { d } = f;
  const K = f.means.length;
  const logWeights = f.mixture.weights.map((w) => Math.log(w));
  let cache: { t: number; comps: ComponentAtT[] } | null = null;

  function componentsAt(t: number): ComponentAtT[] {
    if (cache !== null && cache.t === t) return cache.comps;
    const alpha = schedule.alpha(t);
    const sigma = schedule.sigma(t);
    checkFinite(alpha, `alpha(${t})`);
    checkFinite(sigma, `sigma(${t})`);
    const comps = f.covariances.map((S, k): ComponentAtT => {
      const C = new Float64Array(d * d);
      const gain = new Float64Array(d * d);
      for (let i = 0; i < d * d; i++) {
        C[i] = alpha * alpha * S[i];
        gain[i] = alpha * S[i];
      }
      for (let i = 0; i < d; i++) C[i * d + i] += sigma * sigma;
      const chol = cholesky(C, d);
      if (chol === null) {
        throw new StudioError('invalid-schedule', `at t = ${t} (alpha = ${alpha}, sigma = ${sigma}) component ${k} has a singular marginal covariance`);
      }
      return { chol, gain, logNorm: logWeights[k] - 0.5 * (d * LOG_2PI + logDetFromCholesky(chol, d)) };
    });
    cache = { t, comps };
    return comps;
  }

  function evaluate(x: Batch, t: number): Evaluation {
    checkFinite(t, 't');
    if (rowSize(x) !== d) {
      throw new StudioError('invalid-shape', `the oracle's data has dimension ${d} but x has items of size ${rowSize(x)}`);
    }
    const comps = componentsAt(t);
    const alpha = schedule.alpha(t);
    const n = rows(x);
    const score = new Float64Array(n * d);
    const x0 = new Float64Array(n * d);
    const logDensity = new Float64Array(n);
    const ys = Array.from({ length: K }, () => new Float64Array(d));
    const logp = new Float64Array(K);
    const tmp = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const off = i * d;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        const y = ys[k];
        const mu = f.means[k];
        for (let j = 0; j < d; j++) y[j] = x.data[off + j] - alpha * mu[j];
        // Half solve gives the Mahalanobis norm; the second half turns y into C^{-1} (x - alpha mu).
        solveLower(comps[k].chol, d, y);
        let q = 0;
        for (let j = 0; j < d; j++) q += y[j] * y[j];
        solveUpperT(comps[k].chol, d, y);
        logp[k] = comps[k].logNorm - 0.5 * q;
        if (logp[k] > max) max = logp[k];
      }
      // Log-sum-exp keeps responsibilities exact where every component's density underflows.
      let total = 0;
      for (let k = 0; k < K; k++) total += Math.exp(logp[k] - max);
      const lse = max + Math.log(total);
      logDensity[i] = lse;
      for (let k = 0; k < K; k++) {
        const r = Math.exp(logp[k] - lse);
        if (r === 0) continue;
        const y = ys[k];
        matVec(comps[k].gain, d, y, tmp);
        const mu = f.means[k];
        for (let j = 0; j < d; j++) {
          score[off + j] -= r * y[j];
          x0[off + j] += r * (mu[j] + tmp[j]);
        }
      }
    }
    return { score, x0, logDensity };
  }

  const eps = (x: Batch, t: number): Float64Array => {
    const sigma = schedule.sigma(t);
    const s = evaluate(x, t).score;
    // E[eps | x] = -sigma score holds at sigma = 0 too, where it is 0.
    for (let i = 0; i < s.length; i++) s[i] = sigma === 0 ? 0 : -sigma * s[i];
    return s;
  };

  const combine = (x: Batch, t: number, cx0: number, ceps: number): Float64Array => {
    const { score, x0 } = evaluate(x, t);
    const sigma = schedule.sigma(t);
    const out = new Float64Array(x0.length);
    for (let i = 0; i < out.length; i++) out[i] = cx0 * x0[i] + (sigma === 0 ? 0 : -ceps * sigma * score[i]);
    return out;
  };

  const v = (x: Batch, t: number): Float64Array => combine(x, t, -schedule.sigma(t), schedule.alpha(t));
  const velocity = (x: Batch, t: number): Float64Array => combine(x, t, schedule.dAlpha(t), schedule.dSigma(t));

  const quantity: Record<Parameterisation, (x: Batch, t: number) => Float64Array> = {
    eps,
    x0: (x, t) => evaluate(x, t).x0,
    score: (x, t) => evaluate(x, t).score,
    v,
    velocity,
  };

  return {
    parameterisation,
    schedule,
    mixture: f.mixture,
    dim: d,
    predict(x: Batch, t: number): FloatArray {
      const out = like(x.data);
      out.set(quantity[parameterisation](x, t));
      return out;
    },
    score: quantity.score,
    x0: quantity.x0,
    eps,
    v,
    velocity,
    logDensity: (x, t) => evaluate(x, t).logDensity,
    sample: (n, rng) => sampleMixture(f, n, rng),
    sampleAt(t: number, n: number, rng: Rng): Batch<Float64Array> {
      checkFinite(t, 't');
      const alpha = schedule.alpha(t);
      const sigma = schedule.sigma(t);
      const out = sampleMixture(f, n, rng).data;
      for (let i = 0; i < out.length; i++) out[i] = alpha * out[i] + sigma * rng.normal();
      return batch(out, [n, d]);
    },
  };
}
