// Classifier-free guidance as a model wrapper: pred = pred_uncond + w (pred_cond - pred_uncond) (MATH.md §5).
import { like } from '../batch';
import { check, checkFinite } from '../errors';
import type { Model } from '../model';

/** A model whose prediction is the guided mix of two models with the same parameterisation and schedule (2 calls per evaluation). */
export function guidedModel(cond: Model, uncond: Model, w: number): Model {
  checkFinite(w, 'guidance weight w');
  check(cond.parameterisation === uncond.parameterisation, `guided models must share a parameterisation, got ${cond.parameterisation} and ${uncond.parameterisation}`);
  check(cond.schedule === uncond.schedule || JSON.stringify(cond.schedule.toJSON()) === JSON.stringify(uncond.schedule.toJSON()),
    'guided models must share a schedule');
  return {
    parameterisation: cond.parameterisation,
    schedule: cond.schedule,
    async predict(x, t) {
      const [c, u] = await Promise.all([cond.predict(x, t), uncond.predict(x, t)]);
      const out = like(x.data);
      for (let i = 0; i < out.length; i++) out[i] = u[i] + w * (c[i] - u[i]);
      return out;
    },
  };
}
