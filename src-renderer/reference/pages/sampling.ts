// Reference page for MATH.md §5: time grids, the gamma family of SDEs, the ODE solvers, DDIM, DPM-Solver++, DDPM, correctors, guidance.
import type { ReferencePage } from '../types';

export const SAMPLING_PAGE: ReferencePage = {
  id: 'sampling',
  section: 5,
  title: 'Sampling',
  intro: 'Generation runs the clock backwards, from t = 1 down to t_min, on a grid t_0 = t_max > t_1 > … > t_n = t_min. Each sampler is one rule for a step from t to a smaller s.',
  entries: [
    {
      id: 'time-grids',
      title: 'Time grids',
      formulas: ['uniform in t:  t_i = t_max − (i/n)(t_max − t_min)', 'uniform in log-SNR:  λ(t_i) evenly spaced'],
      text: 'Where the steps fall matters as much as the solver; the Sample section uses the uniform grid, and its "Steps" field is n.',
      keywords: 'grid steps uniform logsnr n',
    },
    {
      id: 'karras',
      title: 'Karras grid',
      formulas: ['r(t) = σ_t / α_t', 'r_i = (r_max^{1/ρ} + (i/n)(r_min^{1/ρ} − r_max^{1/ρ}))^ρ,   ρ = 7', 't_i solves r(t_i) = r_i'],
      text: 'Steps crowd towards the data end. On the linear path α_1 = 0 makes r_max infinite, so r_max = r(1 − 1e-4) is used and t_0 stays 1.',
      keywords: 'karras edm rho grid',
    },
    {
      id: 'gamma-family',
      title: 'One family from ODE to SDE (γ)',
      formulas: ['dx = [u(x, t) − (η_t^2 / 2) score(x, t)] dt + η_t dW,   η_t = γ g_t', 'γ = 0: probability-flow ODE      γ = 1: reverse-time SDE'],
      text: 'Integrated backwards in time, every γ ≥ 0 yields the same marginals p_t: the extra noise is exactly compensated by the extra pull along the score. The γ slider between the Sample panels moves along this family.',
      keywords: 'gamma slider sde ode probability flow anderson reverse eta',
    },
    {
      id: 'euler-maruyama',
      title: 'Euler–Maruyama step',
      formulas: ['x ← x + (s − t)[u − (η^2/2) score] + η √(t − s) z,   z ~ N(0, I)'],
      text: 'One step from t to s < t of the γ family. Note s − t is negative: the drift is followed backwards.',
      keywords: 'euler maruyama em sde sampler',
    },
    {
      id: 'ode-solvers',
      title: 'ODE solvers',
      formulas: ['dx/dt = u(x, t)', 'Euler (1 NFE/step),  Heun (2),  RK4 (4),  Dormand–Prince 5(4) (adaptive)'],
      text: 'Classical integrators of the probability-flow ODE. Their error falls as h¹, h², h⁴ with the step size h; the adaptive one picks its own steps from rtol/atol and reports how many evaluations it used.',
      keywords: 'euler heun rk4 dopri5 dormand prince ode sampler solver',
    },
    {
      id: 'ddim',
      title: 'DDIM',
      formulas: ['x_s = α_s x̂_0 + σ_s ε̂', 'with η_DDIM > 0:  x_s = α_s x̂_0 + √(σ_s^2 − c^2) ε̂ + c z,   c = η_DDIM √v'],
      text: 'Predict x̂_0 and ε̂ at t (by the conversions of the outputs page) and re-noise to s. η_DDIM = 0 is deterministic; η_DDIM = 1 is ancestral sampling, with v the posterior variance of the DDPM step.',
      keywords: 'ddim deterministic eta ancestral sampler',
    },
    {
      id: 'dpm-solver',
      title: 'DPM-Solver++(2M)',
      formulas: ['l_t = log(α_t / σ_t),   h_i = l_{t_i} − l_{t_{i−1}}', 'x_i = (σ_i / σ_{i−1}) x_{i−1} − α_i expm1(−h_i) D_i', 'D_i = (1 + 1/(2r_i)) x̂_0^{(i−1)} − (1/(2r_i)) x̂_0^{(i−2)},   r_i = h_{i−1} / h_i'],
      text: 'A second-order multistep method in half log-SNR. The first step (or one after an infinite h) uses D_i = x̂_0^{(i−1)}, which is DDIM. At σ = 0 the step becomes x = α D.',
      keywords: 'dpm solver++ 2m multistep sampler',
    },
    {
      id: 'ddpm-ancestral',
      title: 'DDPM ancestral step',
      formulas: ['a = α_t / α_s,   q = σ_t^2 − a^2 σ_s^2', 'mean = (a σ_s^2 / σ_t^2) x_t + (α_s q / σ_t^2) x̂_0,   variance v = q σ_s^2 / σ_t^2'],
      text: 'Sample the Gaussian posterior of x_s given x_t and the predicted x_0. On the discrete DDPM schedule with s = t − 1/T the variance is β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t).',
      keywords: 'ddpm ancestral posterior sampler',
    },
    {
      id: 'predictor-corrector',
      title: 'Predictor–corrector (Langevin)',
      formulas: ['x ← x + e · score + √(2e) z', 'e = 2 (r ‖z‖ / ‖score‖)^2,   r ≈ 0.16'],
      text: 'After each predictor step, k Langevin steps at the new t pull the particles back onto p_t. Running only the corrector down a ladder of t is annealed Langevin dynamics.',
      keywords: 'langevin corrector pc annealed snr',
    },
    {
      id: 'guidance',
      title: 'Classifier-free guidance',
      formulas: ['pred = pred_uncond + w (pred_cond − pred_uncond)', 'w = 0 unconditional,   w = 1 plain conditional,   w > 1 sharper'],
      text: 'For models trained with label dropout. Because the conversions between outputs are affine with label-free coefficients, guiding ε, x_0, v or u gives the same sample.',
      keywords: 'cfg guidance weight w class label conditional',
    },
    {
      id: 'denoise-last',
      title: 'Last step and NFE',
      formulas: ['optional last step: return x̂_0 at t_min (Tweedie)', 'NFE = network evaluations per run'],
      text: 'Every sampler counts its evaluations (NFE), which is the fair axis for comparing them, and can record each step\'s state and predicted x_0 for a subset of particles.',
      keywords: 'tweedie nfe denoise record trajectory',
    },
  ],
};
