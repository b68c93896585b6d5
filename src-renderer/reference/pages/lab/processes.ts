// Reference entries of the Lab's Processes panel: Brownian motion, the Ornstein–Uhlenbeck process, the KS distance, a schedule's forward SDE from the data.
import type { ReferenceEntry } from '../../types';

export const PROCESSES_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'brownian-motion',
    title: 'Brownian motion',
    formulas: ['W_t ~ N(0, t I),   W_t − W_s independent of the past', 'X_t = x_0 + σ W_t ~ N(x_0, σ^2 t)'],
    text: 'The noise every SDE of the studio is driven by: independent Gaussian increments whose variance grows linearly in time. The Lab draws it as OU with θ = 0.',
    keywords: 'brownian motion wiener process paths lab',
  },
  {
    id: 'ou-marginal',
    title: 'Ornstein–Uhlenbeck process',
    formulas: ['dX = −θ X dt + σ dW', 'X_t | x_0 ~ N(x_0 e^{−θt}, σ^2 (1 − e^{−2θt}) / (2θ))', 'stationary law N(0, σ^2 / (2θ))'],
    text: 'Brownian motion pulled back to 0 at rate θ. Its law at every t is Gaussian in closed form, which the Lab\'s Processes panel draws over the histogram of its paths. Euler–Maruyama steps X ← (1 − θh) X + σ √h z have their own, slightly different, variance; the exact transition keeps the marginals exact on any grid.',
    keywords: 'ornstein uhlenbeck ou theta mean reversion stationary lab processes',
  },
  {
    id: 'ks-distance',
    title: 'Kolmogorov–Smirnov distance',
    formulas: ['D_n = sup_x |F_n(x) − F(x)|', 'P(√n D_n > 1.358) → 0.05'],
    text: 'How far the empirical CDF F_n of n draws is from the exact CDF F. Under the exact law the p-value is uniform, so about 5% of times show p < 0.05; a wrong law (a grid too coarse for Euler–Maruyama) pushes D_n past the critical value everywhere.',
    keywords: 'ks kolmogorov smirnov test p-value critical lab evidence',
  },
  {
    id: 'forward-noising',
    title: 'Noising data with the forward SDE',
    formulas: ['dx = f_t x dt + g_t dW', 'x_t | x_0 ~ N(α_t x_0, σ_t^2 I)', '(x_t − α_t x_0) / σ_t ~ N(0, I)'],
    text: 'Run from the data at t = 0, the forward SDE of the Schedule section\'s schedule reproduces the Gaussian path: each particle\'s residual is standard normal, which the Lab checks with the KS distance at every t.',
    keywords: 'forward sde noising data residual lab processes schedule',
  },
];
