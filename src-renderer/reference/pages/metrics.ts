// Reference page for MATH.md §7: distances between samples and data, and the shape of the learnt paths.
import type { ReferencePage } from '../types';

export const METRICS_PAGE: ReferencePage = {
  id: 'metrics',
  section: 7,
  title: 'Metrics',
  intro: 'How close generated samples X are to held-out data Y, and how straight and cheap the paths that produced them were. The metric chart of the Sample section plots these against NFE.',
  entries: [
    {
      id: 'mmd',
      title: 'Maximum mean discrepancy (MMD²)',
      formulas: ['MMD^2 = E k(x, x\') + E k(y, y\') − 2 E k(x, y)', 'k(a, b) = Σ_h exp(−‖a − b‖^2 / (2 h^2))'],
      text: 'A kernel two-sample distance with RBF kernels at several bandwidths h (multiples of the median pairwise distance), so it is sensitive at several scales at once.',
      keywords: 'mmd kernel rbf bandwidth two-sample',
    },
    {
      id: 'energy-distance',
      title: 'Energy distance',
      formulas: ['E(X, Y) = 2 E‖x − y‖ − E‖x − x\'‖ − E‖y − y\'‖'],
      text: 'Zero exactly when the two distributions agree; needs no bandwidth.',
      keywords: 'energy distance',
    },
    {
      id: 'sliced-w2',
      title: 'Sliced Wasserstein-2',
      formulas: ['SW_2^2(X, Y) = E_θ W_2^2(θ·X, θ·Y),   θ uniform on the unit sphere'],
      text: 'Project both samples on random directions, where the 1-D transport is just sorting, and average.',
      keywords: 'sliced wasserstein sw2 projection',
    },
    {
      id: 'exact-w2',
      title: 'Exact Wasserstein-2',
      formulas: ['W_2^2(X, Y) = min_π (1/n) Σ_i ‖x_i − y_{π(i)}‖^2'],
      text: 'By optimal assignment, for up to a few thousand points.',
      keywords: 'wasserstein w2 assignment exact',
    },
    {
      id: 'nll',
      title: 'Negative log-likelihood',
      formulas: ['NLL = −E log p_0(y)'],
      text: 'Held-out data scored by the model through the likelihood ODE (see the likelihood page).',
      keywords: 'nll likelihood',
    },
    {
      id: 'straightness',
      title: 'Path straightness and kinetic energy',
      formulas: ['S = E ∫_0^1 ‖u(x_t, t) − (x_1 − x_0)‖^2 dt', 'K = E ∫_0^1 ‖u(x_t, t)‖^2 dt'],
      text: 'S is zero for perfectly straight paths, which a one-step Euler sampler integrates exactly; OT couplings lower both S and K.',
      keywords: 'straightness kinetic energy paths',
    },
  ],
};
