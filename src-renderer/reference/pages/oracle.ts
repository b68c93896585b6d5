// Reference page for MATH.md §8: the exact denoiser of a Gaussian mixture, used as the ideal model and in tests.
import type { ReferencePage } from '../types';

export const ORACLE_PAGE: ReferencePage = {
  id: 'oracle',
  section: 8,
  title: 'The analytic oracle',
  intro: 'For Gaussian-mixture data everything a network would learn has a closed form. The studio offers it as the "ideal model" and its tests measure samplers against it.',
  entries: [
    {
      id: 'mixture-marginal',
      title: 'Marginals of a mixture',
      formulas: ['p_data = Σ_k w_k N(μ_k, S_k)', 'p_t = Σ_k w_k N(α_t μ_k, C_k),   C_k = α_t^2 S_k + σ_t^2 I'],
      text: 'Each component is moved and widened by the path; the weights stay. log p_t(x) is therefore exact, and drawn beneath the ideal model\'s particles.',
      keywords: 'gaussian mixture marginal density ideal model',
    },
    {
      id: 'oracle-score',
      title: 'Exact score',
      formulas: ['score(x) = Σ_k r_k(x) · (−C_k^{−1} (x − α μ_k))', 'r_k(x) = posterior responsibility of component k'],
      text: 'Each component pulls towards its own centre, weighted by how likely it produced x.',
      keywords: 'oracle score responsibilities',
    },
    {
      id: 'oracle-denoiser',
      title: 'Exact denoiser',
      formulas: ['x̂_0(x) = Σ_k r_k(x) · (μ_k + α S_k C_k^{−1} (x − α μ_k))', 'x̂_0 = (x + σ^2 score) / α'],
      text: 'From x̂_0 and the score come ε, v and u by the conversions of the outputs page.',
      keywords: 'oracle denoiser tweedie x0',
    },
    {
      id: 'single-gaussian-flow',
      title: 'Exact flow of one Gaussian',
      formulas: ['data N(μ, s^2 I):   x_t = α_t μ + √(α_t^2 s^2 + σ_t^2) · z,   z fixed along the path'],
      text: 'The probability-flow ODE has a closed-form solution here, so a sampler\'s end point can be compared with the true one.',
      keywords: 'flow map closed form gaussian',
    },
    {
      id: 'sampler-error',
      title: 'What the oracle isolates',
      formulas: ['error order:  Euler 1,   Heun 2,   RK4 4'],
      text: 'With no network error left, what remains is the sampler\'s own: tests check these convergence orders, that every γ keeps the marginals, and the likelihood code against the exact log p_0.',
      keywords: 'tests convergence order oracle',
    },
  ],
};
