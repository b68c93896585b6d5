// The sub-vp preset (score SDE): alpha as vp-linear, sigma = 1 - abar, so its variance stays below VP's.
import { makeSchedule, type SchedulePreset } from './preset';
import { betaRangeSchema, linearBetaLogAlphaBar } from './vp-linear';

const schema = betaRangeSchema('sub-vp');

/** The sub-vp preset: f = -beta/2, g^2 = beta (1 - abar^2). */
export const subVpPreset: SchedulePreset<typeof schema> = {
  name: 'sub-vp',
  schema,
  build(spec) {
    const { logAlphaBar: la, dLogAlphaBar: dla } = linearBetaLogAlphaBar(spec.betaMin, spec.betaMax);
    // 1 - abar as -expm1(log abar) keeps sigma accurate near t = 0.
    const sigma = (t: number): number => -Math.expm1(la(t));
    return makeSchedule({
      name: 'sub-vp',
      tMin: 1e-3,
      spec: { ...spec },
      alpha: (t) => Math.exp(0.5 * la(t)),
      sigma,
      dAlpha: (t) => 0.5 * Math.exp(0.5 * la(t)) * dla(t),
      dSigma: (t) => -Math.exp(la(t)) * dla(t),
      logSnr: (t) => la(t) - 2 * Math.log(sigma(t)),
      f: (t) => 0.5 * dla(t),
      g2: (t) => -dla(t) * sigma(t) * (1 + Math.exp(la(t))),
    });
  },
};
