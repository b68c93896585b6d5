// The vp-cosine preset (improved DDPM): abar = c(t)/c(0), c(t) = cos^2(((t + s)/(1 + s)) pi/2), clipped near t = 1.
import { z } from 'zod';
import { makeSchedule, vpParts, type SchedulePreset } from './preset';

/**
 * Where the cosine is cut off. abar reaches 0 at t = 1, which would make alpha = 0 and beta
 * infinite. Past T_CLIP, log abar continues as the straight line tangent at T_CLIP (beta held at
 * beta(T_CLIP), about 2000): alpha stays > 0 (about 6e-4 at t = 1), every derivative stays finite
 * and continuous, and logSnr stays strictly decreasing.
 */
export const COSINE_T_CLIP = 0.999;

const schema = z
  .object({
    name: z.literal('vp-cosine'),
    s: z.number().min(0).max(0.5).default(0.008),
  })
  .strict();

/** The vp-cosine preset. */
export const vpCosinePreset: SchedulePreset<typeof schema> = {
  name: 'vp-cosine',
  schema,
  build(spec) {
    const s = spec.s;
    const dTheta = Math.PI / (2 * (1 + s));
    const theta = (t: number): number => (t + s) * dTheta;
    const logC0 = 2 * Math.log(Math.cos(theta(0)));
    const laCos = (t: number): number => 2 * Math.log(Math.cos(theta(t))) - logC0;
    const dlaCos = (t: number): number => -2 * dTheta * Math.tan(theta(t));
    const laClip = laCos(COSINE_T_CLIP);
    const dlaClip = dlaCos(COSINE_T_CLIP);
    const la = (t: number): number => (t <= COSINE_T_CLIP ? laCos(t) : laClip + dlaClip * (t - COSINE_T_CLIP));
    const dla = (t: number): number => (t <= COSINE_T_CLIP ? dlaCos(t) : dlaClip);
    return makeSchedule(vpParts('vp-cosine', 1e-3, { ...spec }, la, dla));
  },
};
