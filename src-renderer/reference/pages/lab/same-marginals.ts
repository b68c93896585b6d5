// Reference entries of the Lab's same-marginals panel: the fields over p_t, the gamma family sharing its marginals, and the MMD permutation test that checks it.
import type { ReferenceEntry } from '../../types';

export const SAME_MARGINALS_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'same-marginals',
    title: 'Same marginals, different paths',
    formulas: ['dx = [u(x, t) − (γ^2 g_t^2 / 2) ∇log p_t(x)] dt + γ g_t dW,   run from t = 1 down', 'γ = 0: the probability-flow ODE;  γ = 1: the reverse-time SDE', 'for every γ:  x_t ~ p_t'],
    text: 'The extra drift −(γ² g²/2) ∇log p_t exactly undoes what the added noise γ g dW does to the density (their Fokker–Planck terms cancel), so every member of the family carries p_1 through the same p_t. Single paths differ: the ODE\'s are smooth and deterministic, the SDE\'s wander.',
    keywords: 'same marginals gamma family pf-ode reverse sde probability flow lab',
  },
  {
    id: 'oracle-fields',
    title: 'The fields over p_t',
    formulas: ['score: ∇log p_t(x) = Σ_k r_k(x) (−C_k^{−1} (x − α_t μ_k))', 'PF-ODE velocity: u = α\'_t x̂_0 + σ\'_t ε̂', 'reverse-SDE drift: u − (g_t^2 / 2) ∇log p_t'],
    text: 'For a Gaussian mixture all three are exact (the oracle of §8). The Lab draws the score as it points (uphill on p_t) and the other two in the direction particles move as t falls.',
    keywords: 'score velocity drift field arrows oracle lab',
  },
  {
    id: 'mmd-permutation',
    title: 'MMD and its permutation test',
    formulas: ['MMD^2(X, Y) = E k(x, x\') + E k(y, y\') − 2 E k(x, y)', 'p = (1 + #{π: MMD^2(π) ≥ MMD^2}) / (1 + #permutations)'],
    text: 'Relabelling the pooled particles and exact draws at random shows how large MMD² gets when both come from one law; a p-value below 0.05 says the particles are not on p_t. Under the exact law p is uniform, so about one test in twenty falls below 0.05 by chance.',
    keywords: 'mmd permutation test null p-value kernel two-sample lab',
  },
];
