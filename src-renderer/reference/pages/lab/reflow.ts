// Reference entries of the Lab's reflow panel: rectification by retraining on a flow's own ODE pairs, the straightness it drives down, and few-step quality.
import type { ReferenceEntry } from '../../types';

export const REFLOW_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'reflow',
    title: 'Reflow: rectified flows',
    formulas: ['flow 1:  pairs (x_0, x_1) drawn independently, x_0 ~ data, x_1 ~ N(0, I)', 'flow k + 1:  x_1 ~ N(0, I),  x_0 = Φ_k(x_1)  (flow k\'s ODE from t = 1 to 0)', 'loss:  E ||u_θ((1 − t) x_0 + t x_1, t) − (x_1 − x_0)||^2'],
    text: 'Each round keeps the previous flow\'s own pairing of noise and data and trains a fresh network on straight lines between the two ends. The pairs no longer cross as independent ones do, so the new flow\'s paths bend less; its data law stays the same, since the pairs\' data ends are the old flow\'s samples.',
    keywords: 'reflow rectified flow rectification pairs straight paths liu 2-rectified lab',
  },
  {
    id: 'reflow-straightness',
    title: 'Straightness of a flow',
    formulas: ['S = E ∫_0^1 ||u(x_t, t) − (x_1 − x_0)||^2 dt   along the flow\'s own paths', 'S = 0  ⇔  every path is a straight line run at constant speed'],
    text: 'The Lab follows each flow\'s ODE from noise with a fine Euler solve and compares the velocity at every time with the path\'s overall displacement. A straight flow needs a single Euler step: x_0 = x_1 − u(x_1, 1).',
    keywords: 'straightness curvature paths euler one step lab',
  },
  {
    id: 'reflow-quality',
    title: 'Few-step quality',
    formulas: ['x ← x − u(x, t_k) / N,   t_k = 1 − k / N,  k = 0 … N − 1', 'sliced W2: mean over directions θ of W2(θ·x, θ·y)^2, then the root'],
    text: 'Samples from N Euler steps are compared with fresh draws of the set by sliced W2 and MMD². Two fresh draws of the set already differ a little: that floor is the best any sampler can show at this sample size.',
    keywords: 'euler steps sliced wasserstein mmd quality floor lab',
  },
];
