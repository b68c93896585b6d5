// predictAs and predictX0Eps: one model call, the right quantity, checked output length.
import { describe, expect, it } from 'vitest';
import { batch, type Batch, type FloatArray } from '../batch';
import { StudioError } from '../errors';
import { PARAMETERISATIONS, type Model, type Parameterisation } from '../model';
import { Rng } from '../rng';
import { createSchedule, type Schedule } from '../schedules/index';
import { predictAs, predictX0Eps } from './index';

const rng = new Rng(3);
const x0 = rng.fillNormal(new Float64Array(12));
const eps = rng.fillNormal(new Float64Array(12));

/** A model that knows the x0 and eps behind its input and answers exactly, counting its calls. */
function knowingModel(param: Parameterisation, schedule: Schedule, asPromise: boolean): Model & { calls: number } {
  const model = {
    parameterisation: param,
    schedule,
    calls: 0,
    predict(_x: Batch, t: number): FloatArray | Promise<FloatArray> {
      model.calls++;
      const out = new Float64Array(truth(schedule, t)[param]);
      return asPromise ? Promise.resolve(out) : out;
    },
  };
  return model;
}

function truth(s: Schedule, t: number): Record<Parameterisation | 'x', Float64Array> {
  const [a, sig, da, ds] = [s.alpha(t), s.sigma(t), s.dAlpha(t), s.dSigma(t)];
  const m = (fn: (i: number) => number): Float64Array => Float64Array.from({ length: 12 }, (_, i) => fn(i));
  return {
    x: m((i) => a * x0[i] + sig * eps[i]),
    eps: m((i) => eps[i]),
    x0: m((i) => x0[i]),
    score: m((i) => -eps[i] / sig),
    v: m((i) => a * eps[i] - sig * x0[i]),
    velocity: m((i) => da * x0[i] + ds * eps[i]),
  };
}

describe('predictAs', () => {
  const s = createSchedule({ name: 'vp-linear' });
  const t = 0.35;
  const q = truth(s, t);
  const x = batch(q.x, [3, 4]);

  it.each(PARAMETERISATIONS)('a %s model answers every request with one call', async (param) => {
    for (const want of PARAMETERISATIONS) {
      const model = knowingModel(param, s, want === 'v');
      const got = await predictAs(model, x, t, want);
      expect(model.calls).toBe(1);
      for (let i = 0; i < 12; i++) expect(got[i]).toBeCloseTo(q[want][i], 10);
    }
  });

  it('predictX0Eps returns x0 and eps from one call', async () => {
    const model = knowingModel('velocity', s, true);
    const r = await predictX0Eps(model, x, t);
    expect(model.calls).toBe(1);
    for (let i = 0; i < 12; i++) {
      expect(r.x0[i]).toBeCloseTo(x0[i], 10);
      expect(r.eps[i]).toBeCloseTo(eps[i], 10);
    }
  });

  it('gives a buffer of the batch type when the model answers in another type', async () => {
    const model: Model = { parameterisation: 'eps', schedule: s, predict: () => Float32Array.from(eps) };
    const got = await predictAs(model, x, t, 'eps');
    expect(got).toBeInstanceOf(Float64Array);
  });

  it('rejects a wrong-length answer, an unknown name and a non-finite t', async () => {
    const short: Model = { parameterisation: 'eps', schedule: s, predict: () => new Float64Array(5) };
    await expect(predictAs(short, x, t, 'x0')).rejects.toThrow(/returned 5 numbers for a batch of 12/);
    await expect(predictAs(knowingModel('eps', s, false), x, t, 'noise' as Parameterisation)).rejects.toBeInstanceOf(StudioError);
    await expect(predictX0Eps(knowingModel('eps', s, false), x, NaN)).rejects.toThrow(/t must be a finite number/);
  });
});
