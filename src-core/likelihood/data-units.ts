// Likelihood of a model trained on normalised data, reported in data units: x_n = (x - mean) / scale per dimension,
// so log p_x(x) = log p_n(x_n) + log |det dx_n/dx| = log p_n(x_n) - sum_j log scale_j.
import type { FloatArray } from '../batch';
import { StudioError } from '../errors';
import type { Normalisation } from '../normalisation';

function entry(list: readonly number[], k: number): number {
  return list[list.length === 1 ? 0 : k];
}

function checkFits(norm: Normalisation, d: number): void {
  const { mean, scale } = norm;
  if ((mean.length !== 1 && mean.length !== d) || (scale.length !== 1 && scale.length !== d)) {
    throw new StudioError('invalid-shape', `normalisation has ${mean.length} means and ${scale.length} scales for items of ${d} numbers (need ${d} or 1)`);
  }
  for (let k = 0; k < d; k++) {
    const s = entry(scale, k);
    if (!(s > 0) || !Number.isFinite(s) || !Number.isFinite(entry(mean, k))) {
      throw new StudioError('invalid-argument', `normalisation of dimension ${k} needs a finite mean and a positive finite scale, got ${entry(mean, k)} and ${s}`);
    }
  }
}

/** Rows of d numbers in data units mapped to the model's units, (x - mean) / scale, written into out (a copy without normalisation). */
export function toModelUnits<T extends FloatArray>(x: FloatArray, norm: Normalisation | null, d: number, out: T): T {
  if (out.length !== x.length) throw new StudioError('invalid-shape', `output buffer has ${out.length} numbers for ${x.length}`);
  if (!norm) {
    out.set(x);
    return out;
  }
  checkFits(norm, d);
  for (let i = 0; i < x.length; i++) {
    const k = i % d;
    out[i] = (x[i] - entry(norm.mean, k)) / entry(norm.scale, k);
  }
  return out;
}

/** log |det| of the map from data to model units for one item of d numbers: -sum_j log scale_j (0 without normalisation). */
export function normalisationLogDet(norm: Normalisation | null, d: number): number {
  if (!norm) return 0;
  checkFits(norm, d);
  let s = 0;
  for (let k = 0; k < d; k++) s += Math.log(entry(norm.scale, k));
  return -s;
}

/** Per-row log-densities in model units turned into data units in place (adds the normalisation's log-determinant). */
export function logDensityInDataUnits(logp: Float64Array, norm: Normalisation | null, d: number): Float64Array {
  const shift = normalisationLogDet(norm, d);
  for (let i = 0; i < logp.length; i++) logp[i] += shift;
  return logp;
}
