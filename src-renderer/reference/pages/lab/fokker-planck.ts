// Reference entries of the Lab's Fokker–Planck panel: the equation, its conservative finite volumes and their stable step, and the exact density they are checked against.
import type { ReferenceEntry } from '../../types';

export const FOKKER_PLANCK_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'fokker-planck',
    title: 'The Fokker–Planck equation',
    formulas: ['dX = f(X, t) dt + g(t) dW', '∂p/∂t = −∇·(f p) + (g^2 / 2) ∇^2 p'],
    text: 'How the density of an SDE\'s particles moves: drift carries it, diffusion spreads it. The Lab solves it on a grid beside a cloud of particles of the same SDE and the exact density.',
    keywords: 'fokker planck kolmogorov forward equation density pde lab',
  },
  {
    id: 'finite-volumes',
    title: 'Conservative finite volumes',
    formulas: [
      'dp_i/dt = (F_{i−1/2} − F_{i+1/2}) / h,   zero flux at the edges',
      'F = (D/h) [B(−Pe) p_i − B(Pe) p_{i+1}],   D = g^2/2,  Pe = f h / D,  B(z) = z / (e^z − 1)',
      'dt ≤ 1 / max_i (outflow rate of cell i)   (pure diffusion: dt ≤ h^2 / (d g^2))',
    ],
    text: 'Cell averages exchange mass only through shared faces, so the total is kept to rounding. The Scharfetter–Gummel flux is central (second order) where diffusion dominates and upwind where drift does, keeps p ≥ 0, and holds the discrete stationary state of a linear drift exactly; Heun steps with the stable dt.',
    keywords: 'finite volume scharfetter gummel flux conservative mass cfl stable step heun lab',
  },
  {
    id: 'linear-sde-density',
    title: 'Exact density of a linear SDE',
    formulas: ['x_t | x_0 ~ N(a_t x_0, v_t I)', 'OU: a_t = e^{−θt},  v_t = σ^2 (1 − e^{−2θt}) / (2θ);   schedule: a_t = α_t,  v_t = σ_t^2', 'Σ_k w_k N(μ_k, S_k)  →  Σ_k w_k N(a_t μ_k, a_t^2 S_k + v_t I)'],
    text: 'A Gaussian mixture stays a Gaussian mixture under a linear SDE, so for OU and the schedules\' SDEs the density at every t is known exactly.',
    keywords: 'exact density linear sde mixture transition lab fokker planck',
  },
  {
    id: 'l1-sampling-floor',
    title: 'L1 distance and its sampling floor',
    formulas: ['‖p − q‖_1 = Σ_i |p_i − q_i| |cell|', 'E‖p̂_n − p‖_1 = (1/n) Σ_i E|X_i − λ_i|,   X_i ~ Poisson(λ_i = n p_i |cell|)'],
    text: 'A histogram of n exact draws is off the exact density by sampling noise alone; E|X − λ| = 2 e^{−λ} λ^{⌊λ⌋+1} / ⌊λ⌋! for Poisson counts. The particles agree with the exact law when their L1 distance sits on this floor.',
    keywords: 'l1 distance histogram noise floor poisson lab fokker planck',
  },
];
