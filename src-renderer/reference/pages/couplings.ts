// Reference page for MATH.md §4: how noise and data are paired, from independent draws to Schrödinger bridges.
import type { ReferencePage } from '../types';

export const COUPLINGS_PAGE: ReferencePage = {
  id: 'couplings',
  section: 4,
  title: 'Couplings and bridges',
  intro: 'Flow matching is free to choose which noise sample goes with which data point. The "Coupling" choice of the Train form picks the pairing inside each batch.',
  entries: [
    {
      id: 'independent',
      title: 'Independent',
      formulas: ['(x_0, ε) ~ p_data × N(0, I)'],
      text: 'The default: noise is drawn without looking at the data. Paths cross, so the learnt flow curves.',
      keywords: 'coupling independent default',
    },
    {
      id: 'minibatch-ot',
      title: 'Minibatch optimal transport (OT-CFM)',
      formulas: ['π* = argmin_π Σ_i ‖x_0^{(i)} − ε^{(π(i))}‖^2', 'pairs (x_0^{(i)}, ε^{(π*(i))})'],
      text: 'Within a batch, noise and data are re-paired by the assignment with the least total squared distance (solved exactly for batches up to about a thousand). Paths cross less and the flow straightens.',
      keywords: 'ot otcfm assignment hungarian coupling',
    },
    {
      id: 'sinkhorn',
      title: 'Entropic OT (Sinkhorn)',
      formulas: ['π_ε = argmin_π Σ_{ij} π_{ij} ‖x_i − y_j‖^2 − ε H(π)', 'pairs drawn from π_ε'],
      text: 'A softened assignment: ε (the number beside the Sinkhorn choice) blurs the plan. Small ε approaches the exact assignment; large ε approaches independent pairing.',
      keywords: 'sinkhorn entropic epsilon coupling',
    },
    {
      id: 'data-to-data',
      title: 'Data to data',
      formulas: ['x_t = (1 − t) x_A + t x_B', '(x_A, x_B) from the (entropic) OT plan between the two batches'],
      text: 'The source need not be noise: with a second data set at t = 1 the same machinery learns a translation between the two.',
      keywords: 'translation source second data set',
    },
    {
      id: 'schrodinger-bridge',
      title: 'Schrödinger bridge CFM',
      formulas: ['pairs from the Sinkhorn plan with regularisation 2 s^2', 'μ_t = (1 − t) x_A + t x_B,   x_t = μ_t + s √(t(1 − t)) z', 'u = x_B − x_A + (1 − 2t) / (2 t (1 − t)) · (x_t − μ_t)'],
      text: 'Each pair is joined by a Brownian bridge of noise level s instead of a straight line. As s → 0 it turns into minibatch OT-CFM; a score head trained on the same pairs gives the matching SDE.',
      keywords: 'schrodinger bridge sb noise s brownian',
    },
  ],
};
