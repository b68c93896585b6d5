// -log p_0 of points given in data units under a resolved model: mapped into the model's units, integrated along the
// probability-flow ODE (src-core/likelihood), and brought back to data units with the normalisation's log-determinant.
import type { LikelihoodParams, LikelihoodResult } from '../../src-core/api/methods/sampling';
import { StudioError } from '../../src-core/errors';
import { logLikelihood } from '../../src-core/likelihood';
import { logDensityInDataUnits, normalisationLogDet, toModelUnits } from '../../src-core/likelihood/data-units';
import type { Normalisation } from '../../src-core/normalisation';
import type { Model } from '../../src-core/model';
import { Rng } from '../../src-core/rng';
import type { CancelSignal } from '../../src-core/sampling/types';

/** What the likelihood needs to know about a model beyond its predictions. */
interface LikelihoodModel {
  readonly model: Model;
  readonly itemShape: readonly number[];
  /** Data = x_n * scale + mean; null where the model works in data units. */
  readonly normalisation: Normalisation | null;
  /**
   * The model computes in float64 (the oracle): the state and the difference step are float64. A float32 network
   * gets float32 inputs and the float32 step (cube root of its epsilon), which keeps the difference quotient well above rounding.
   */
  readonly float64: boolean;
}

/** The NLL of p.x under the model in data units, with the solver, steps and divergence p asks for. */
export async function pointsLikelihood(
  m: LikelihoodModel,
  p: LikelihoodParams,
  cancel: CancelSignal,
  onStep: (info: { step: number; t: number; nfe: number }) => void,
): Promise<Omit<LikelihoodResult, 'id' | 'seconds'>> {
  const d = m.itemShape.reduce((a, b) => a * b, 1);
  const shape = `[${m.itemShape.join(', ')}]`;
  if (p.x.length === 0 || p.x.length % d !== 0) {
    throw new StudioError('invalid-shape', `x has ${p.x.length} numbers, not a whole number of items of the model's data shape ${shape}`);
  }
  if (p.probes !== undefined && p.divergence !== 'hutchinson') throw new StudioError('invalid-argument', 'probes apply to the Hutchinson divergence only');
  const n = p.x.length / d;
  const data = toModelUnits(p.x, m.normalisation, d, m.float64 ? new Float64Array(p.x.length) : new Float32Array(p.x.length));
  const r = await logLikelihood(m.model, { data, shape: [n, ...m.itemShape] }, {
    solver: p.solver,
    steps: p.steps,
    ...(p.tMin !== undefined ? { tMin: p.tMin } : {}),
    ...(p.tMax !== undefined ? { tMax: p.tMax } : {}),
    divergence: p.divergence,
    ...(p.divergence === 'hutchinson' ? { rng: new Rng(p.seed), ...(p.probes !== undefined ? { probes: p.probes } : {}) } : {}),
    cancel,
    onStep,
  });
  const logp = logDensityInDataUnits(r.logp, m.normalisation, d);
  let mean = 0;
  for (const v of logp) mean += v / n;
  let sq = 0;
  for (const v of logp) sq += (v - mean) ** 2;
  const standardError = n > 1 ? Math.sqrt(sq / (n - 1) / n) : 0;
  return {
    nats: -mean,
    bpd: -mean / (d * Math.LN2),
    standardError,
    ...(p.perPoint ? { nll: logp.map((v) => -v) as Float64Array<ArrayBuffer> } : {}),
    n,
    dim: d,
    normalisationLogDet: normalisationLogDet(m.normalisation, d),
    nfe: r.nfe,
  };
}
