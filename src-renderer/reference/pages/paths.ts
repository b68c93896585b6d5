// Reference page for MATH.md §1: the time convention, the Gaussian path, the forward SDE and every schedule preset.
import type { ReferencePage } from '../types';

export const PATHS_PAGE: ReferencePage = {
  id: 'paths',
  section: 1,
  title: 'Time, paths and schedules',
  intro: 'Everything in the studio runs on one clock: t = 0 is the data, t = 1 is pure noise. A schedule says how much of each is mixed in at every t in between.',
  entries: [
    {
      id: 'time-convention',
      title: 'Which way time runs',
      formulas: ['t ∈ [0, 1]:  t = 0 data,  t = 1 noise', 'generation: t = 1 (or t_max) → t_min'],
      text: 'Training draws a time and corrupts the data up to it; sampling walks the other way, starting from noise at t = 1 and stopping at a small t_min.',
      keywords: 'direction convention t_min t_max',
    },
    {
      id: 'gaussian-path',
      title: 'The Gaussian path',
      formulas: ['x_t = α_t x_0 + σ_t ε,   ε ~ N(0, I)'],
      text: 'A noisy point is a scaled copy of the data plus scaled Gaussian noise. The schedule is the pair (α_t, σ_t) together with its time derivatives (α\'_t, σ\'_t).',
      keywords: 'alpha sigma noising strip interpolation',
    },
    {
      id: 'log-snr',
      title: 'Log signal-to-noise ratio',
      formulas: ['λ_t = log(α_t^2 / σ_t^2)', 'λ_t strictly decreasing in t'],
      text: 'λ_t measures how much signal is left: large near the data, very negative near the noise. Every valid schedule makes it fall monotonically, which is what the custom editor enforces.',
      keywords: 'lambda log-snr snr curve',
    },
    {
      id: 'forward-sde',
      title: 'Forward SDE and g²',
      formulas: ['dx = f_t x dt + g_t dW', "f_t = α'_t / α_t", "g_t^2 = 2 σ_t σ'_t − 2 f_t σ_t^2"],
      text: 'The stochastic process whose marginals at each t are exactly those of the path. g_t² is the rate at which noise is pumped in; the g² plot shows it on a log axis. For VP-linear f = −β/2 and g² = β; for VE f = 0 and g² = d(σ²)/dt.',
      keywords: 'drift diffusion g2 g^2 f beta',
    },
    {
      id: 'vp-linear',
      title: 'VP-linear (score SDE, DDPM in the limit)',
      formulas: ['ᾱ_t = exp(−(β_min t + (β_max − β_min) t^2 / 2))', 'α_t = √ᾱ_t,   σ_t = √(1 − ᾱ_t)', 'β_min = 0.1,  β_max = 20'],
      text: 'Variance preserving: α² + σ² = 1 at every t, with a noise rate β(t) that grows linearly in t.',
      keywords: 'vp preset variance preserving beta min max',
    },
    {
      id: 'vp-cosine',
      title: 'VP-cosine (improved DDPM)',
      formulas: ['c(t) = cos^2(((t + s) / (1 + s)) · π/2),   ᾱ_t = c(t) / c(0)', 'α_t = √ᾱ_t,   σ_t = √(1 − ᾱ_t),   s = 0.008'],
      text: 'A variance-preserving schedule whose log-SNR falls more evenly than VP-linear; it is clipped just short of t = 1, where ᾱ would reach zero.',
      keywords: 'cosine preset offset s',
    },
    {
      id: 'sub-vp',
      title: 'Sub-VP',
      formulas: ['ᾱ_t as in VP-linear', 'α_t = √ᾱ_t,   σ_t = 1 − ᾱ_t'],
      text: 'Same signal decay as VP-linear but less noise at every t (σ² stays below 1 − α²).',
      keywords: 'subvp preset',
    },
    {
      id: 've',
      title: 'VE (NCSN)',
      formulas: ['α_t = 1', 'σ_t = σ_min (σ_max / σ_min)^t'],
      text: 'Variance exploding: the data is never scaled down, noise grows geometrically. σ_max should be larger than the diameter of the data, or t = 1 is not really noise.',
      keywords: 've preset variance exploding sigma min max ncsn',
    },
    {
      id: 'linear',
      title: 'Linear (rectified flow, CondOT)',
      formulas: ['α_t = 1 − t,   σ_t = t', 'with σ_min:  σ_t = σ_min + (1 − σ_min) t'],
      text: 'A straight line from data to noise. Its velocity target is simply ε − x_0, which is why flow matching on this path is the studio\'s default.',
      keywords: 'linear preset rectified flow condot sigma_min straight',
    },
    {
      id: 'ddpm',
      title: 'DDPM (discrete)',
      formulas: ['ᾱ_i = Π_{j ≤ i} (1 − β_j),   β_j linear from 1e-4 to 0.02', 'α = √ᾱ_i,   σ = √(1 − ᾱ_i),   t_i = i / T,   T = 1000'],
      text: 'The original thousand-step discrete chain, read on the studio\'s continuous clock at t = i/T.',
      keywords: 'ddpm preset discrete steps',
    },
    {
      id: 'custom',
      title: 'Custom log-SNR curve',
      formulas: ['λ(t): monotone cubic (PCHIP) through the control points', 'VP reading:  α^2 = sigmoid(λ),   σ^2 = sigmoid(−λ)', 'VE reading:  α = 1,   σ = e^{−λ/2}'],
      text: 'You draw λ(t) by dragging points; the monotone cubic keeps it decreasing after every edit, so the result is always a valid schedule, and its derivative is known in closed form.',
      keywords: 'custom draw drag pchip control points editor vp ve',
    },
  ],
};
