// Calling a model once and reading its output as whichever parameterisation a sampler wants.
import { like, type Batch, type FloatArray } from '../batch';
import { StudioError, checkFinite } from '../errors';
import type { Model, Parameterisation } from '../model';
import { convertPrediction, toX0Eps } from './convert';
import { parameterisationRule } from './rules';

async function predictChecked(model: Model, x: Batch, t: number): Promise<FloatArray> {
  checkFinite(t, 't');
  const pred = await model.predict(x, t);
  if (pred.length !== x.data.length) {
    throw new StudioError('invalid-shape', `the model returned ${pred.length} numbers for a batch of ${x.data.length}`);
  }
  return pred;
}

/**
 * Calls model.predict(x, t) once and returns the prediction as `want` (a buffer of x.data's type;
 * when no conversion is needed and the types agree, the model's own buffer).
 */
export async function predictAs(model: Model, x: Batch, t: number, want: Parameterisation): Promise<FloatArray> {
  parameterisationRule(want);
  const pred = await predictChecked(model, x, t);
  if (model.parameterisation === want) {
    if (pred.constructor === x.data.constructor) return pred;
    const out = like(x.data);
    out.set(pred);
    return out;
  }
  return convertPrediction(pred, model.parameterisation, want, x.data, t, model.schedule);
}

/** Calls the model once and returns the denoised x0 and the noise eps it implies. */
export async function predictX0Eps(model: Model, x: Batch, t: number): Promise<{ x0: FloatArray; eps: FloatArray }> {
  const pred = await predictChecked(model, x, t);
  return toX0Eps(pred, model.parameterisation, x.data, t, model.schedule);
}
