// One model output at (x, t), read lazily as velocity, x0, eps or score (each conversion computed once).
import type { FloatArray } from '../batch';
import type { Model, Parameterisation } from '../model';
import { convertPrediction } from '../parameterisation';
import type { Prediction } from './types';

/** Wraps a raw prediction so samplers ask for the quantity they need without another evaluation. */
export function makePrediction(model: Model, x: FloatArray, t: number, raw: FloatArray): Prediction {
  const cache = new Map<Parameterisation, FloatArray>();
  const as = (want: Parameterisation): FloatArray => {
    let out = cache.get(want);
    if (out === undefined) {
      out = convertPrediction(raw, model.parameterisation, want, x, t, model.schedule);
      cache.set(want, out);
    }
    return out;
  };
  return {
    t,
    x,
    velocity: () => as('velocity'),
    x0: () => as('x0'),
    eps: () => as('eps'),
    score: () => as('score'),
  };
}
