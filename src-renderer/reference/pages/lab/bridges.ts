// Reference entries of the Lab's bridges panel: couplings of two sets, SB-CFM trained on pairs from one entropic plan, and the Gaussian Schrödinger bridge in closed form.
import type { ReferenceEntry } from '../../types';

export const BRIDGES_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'bridges',
    title: 'Couplings: independent, exact OT, Schrödinger bridge',
    formulas: ['W2^2(A, B) = min over pairings π of E |x − π(x)|^2', 'entropic plan: P_ij ∝ exp((f_i + g_j − |x_i − y_j|^2) / ε),   ε = 2 s^2', 's → 0:  P → the OT pairing,  its pair cost → W2^2'],
    text: 'Independent pairs cost the most; exact OT (an assignment solved exactly) costs the least any pairing can. The bridge\'s plan comes from Sinkhorn iterations on log potentials: each point\'s partner is drawn from its row, so partners spread around the OT partner by an amount set by s.',
    keywords: 'coupling optimal transport ot sinkhorn entropic schrodinger bridge w2 pairing lab',
  },
  {
    id: 'sb-cfm',
    title: 'SB-CFM and the OT limit',
    formulas: ['x_t = (1 − t) x_0 + t x_1 + s √(t(1 − t)) z,   (x_0, x_1) from the plan', 'target u = x_1 − x_0 + (1 − 2t) / (2 t (1 − t)) (x_t − μ_t),   μ_t = (1 − t) x_0 + t x_1', 'map cost E |T(x_1) − x_1|^2 ≥ W2^2,  → W2^2 as s → 0'],
    text: 'The Lab draws every training pair up front from one entropic plan between 512 points of each set, computed once per s (Sinkhorn per batch is far too slow at small s), and trains the bridge\'s flow on them with the studio\'s own trainer. The learned ODE carries fresh points of one set onto the other; how far it moves them on average is its transport cost, bounded below by W2^2 for any map that lands on the target.',
    keywords: 'sb-cfm schrodinger bridge flow matching entropic plan transport cost w2 ot limit lab',
  },
  {
    id: 'gaussian-bridge',
    title: 'The Schrödinger bridge between Gaussians',
    formulas: ['D = (4 S_0^{1/2} S_1 S_0^{1/2} + s^4 I)^{1/2},   C = (S_0^{1/2} D S_0^{−1/2} − s^2 I) / 2', 'mean_t = (1 − t) μ_0 + t μ_1', 'cov_t = (1 − t)^2 S_0 + t^2 S_1 + t (1 − t) (C + C^T + s^2 I)'],
    text: 'The closed form of Bunne et al. (2023; Mallasto et al. 2022): C is the covariance between the ends under the entropic plan. The Lab simulates the bridge from samples (pairs from the Sinkhorn plan, a Brownian bridge of variance s^2 t(1 − t) between each pair) and shows how far the particles\' mean and covariance sit from the closed form in standard errors: about 1 for a correct bridge, many for independent pairs.',
    keywords: 'gaussian schrodinger bridge closed form bures mccann covariance standard error lab',
  },
];
