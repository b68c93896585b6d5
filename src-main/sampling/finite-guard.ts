// Stops sampling from a damaged or diverging model: a state, prediction or sample that is not finite, or so large that its square overflows float32, is an error naming the step.
import { StudioError } from '../../src-core/errors';
import type { Model } from '../../src-core/model';

/** Largest magnitude accepted: beyond 2^64 a value's square overflows float32, so no distance, norm or metric of it is finite. */
const LARGEST_USABLE = 2 ** 64;

/** Where in a sampling run a check happens: the step being taken (1-based) of how many, and the time. */
interface SamplingPlace {
  readonly step: number;
  readonly total: number | null;
  readonly t: number;
}

/** Throws not-finite if any value is NaN, infinite or beyond LARGEST_USABLE, saying what, where and how many. */
export function checkUsable(values: ArrayLike<number>, what: string, at: SamplingPlace): void {
  let bad = 0;
  let nonFinite = 0;
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && Math.abs(v) < LARGEST_USABLE) continue;
    bad++;
    if (!Number.isFinite(v)) nonFinite++;
    else largest = Math.max(largest, Math.abs(v));
  }
  if (bad === 0) return;
  const kinds = [nonFinite > 0 ? `${nonFinite} NaN or infinite` : null, bad > nonFinite ? `${bad - nonFinite} as large as ${largest.toPrecision(2)}` : null].filter((k) => k !== null);
  const step = `step ${at.step}${at.total !== null ? ` of ${at.total}` : ''} (t = ${at.t.toFixed(4)})`;
  throw new StudioError(
    'not-finite',
    `the ${what} became non-finite at ${step}: ${kinds.join(' and ')} of ${values.length} values; the model file may be damaged or its training diverged`,
  );
}

/** The model with each state it is asked about and each prediction it gives checked; place() says where the sampler is. */
export function finiteGuard(model: Model, place: (t: number) => SamplingPlace): Model {
  return {
    parameterisation: model.parameterisation,
    schedule: model.schedule,
    async predict(x, t) {
      checkUsable(x.data, 'state', place(t));
      const out = await model.predict(x, t);
      checkUsable(out, "model's prediction", place(t));
      return out;
    },
  };
}
