// Reference page for MATH.md §3: the regression losses, their targets and how training draws t.
import type { ReferencePage } from '../types';

export const LOSSES_PAGE: ReferencePage = {
  id: 'losses',
  section: 3,
  title: 'Losses',
  intro: 'Every objective is a weighted mean squared error between the network\'s output and the value that quantity has for the sampled (x_0, ε, t).',
  entries: [
    {
      id: 'mse',
      title: 'The loss',
      formulas: ['L(θ) = E_{x_0, ε, t} [ w(t) ‖ f_θ(x_t, t) − target(x_0, ε, t) ‖^2 ]', 'x_t = α_t x_0 + σ_t ε'],
      text: 'The loss chart of the Train section plots this value per step (raw, and smoothed).',
      keywords: 'mse loss objective weighting w(t)',
    },
    {
      id: 'targets',
      title: 'Targets per parameterisation',
      formulas: ['eps: ε      x0: x_0      v: α ε − σ x_0', "score: −ε / σ      velocity: α' x_0 + σ' ε"],
      text: 'The target is computed from the very x_0 and ε that built x_t, so every step is a plain regression.',
      keywords: 'target eps x0 v score velocity',
    },
    {
      id: 'score-matching',
      title: 'Denoising score matching',
      formulas: ['target −ε / σ_t', 'with w(t) = σ_t^2 it equals the eps loss'],
      text: 'Regressing on the score of the noising kernel gives the score of the marginal in expectation; the weight σ² removes the blow-up of the target at small t.',
      keywords: 'dsm score matching weight sigma^2',
    },
    {
      id: 'flow-matching',
      title: 'Conditional flow matching',
      formulas: ["target u = α'_t x_0 + σ'_t ε", 'on the linear path:  u = ε − x_0'],
      text: 'Regressing on the velocity of each conditional path gives the velocity field whose flow carries noise to data.',
      keywords: 'cfm flow matching velocity rectified',
    },
    {
      id: 'time-sampling',
      title: 'How t is drawn',
      formulas: ['t ~ U(t_min, 1)', 't_min = 1e-3 for VP and VE,   0 for linear', 'optional: log-normal t (as in rectified-flow image models)'],
      text: 'Each batch row gets its own t. t_min keeps VP and VE away from the end where σ_t → 0 and targets divide by it.',
      keywords: 't_min uniform lognormal batch',
    },
  ],
};
