// Reference page for MATH.md §6: exact log-likelihood along the probability-flow ODE.
import type { ReferencePage } from '../types';

export const LIKELIHOOD_PAGE: ReferencePage = {
  id: 'likelihood',
  section: 6,
  title: 'Likelihood',
  intro: 'The probability-flow ODE is a deterministic, invertible map, so the density of a data point follows from the change of variables along it.',
  entries: [
    {
      id: 'change-of-variables',
      title: 'Log-density along the ODE',
      formulas: ['log p_0(x_0) = log p_1(x_1) + ∫_0^1 div u(x_t, t) dt', 'x_t integrated from t = 0 (data) up to t = 1'],
      text: 'Carry the point forward to noise while accumulating how much the flow expands volume; the prior density at the end plus that total is the log-likelihood.',
      keywords: 'nll log likelihood density change of variables divergence',
    },
    {
      id: 'prior',
      title: 'The prior at t = 1',
      formulas: ['p_1 = N(0, σ_1^2 I)'],
      text: 'Exact for the linear path (α_1 = 0); for VP and VE a very close approximation, since a trace of the data survives at t = 1.',
      keywords: 'prior gaussian sigma_1',
    },
    {
      id: 'divergence',
      title: 'Divergence: exact or Hutchinson',
      formulas: ['exact:  div u = Σ_k ∂u_k / ∂x_k   (d directional derivatives)', 'Hutchinson:  div u ≈ z · (J z)  or  (z^T J) · z,   z Rademacher'],
      text: 'In low dimension the trace of the Jacobian J is computed exactly; in high dimension an unbiased random probe replaces it.',
      keywords: 'hutchinson trace jacobian rademacher divergence',
    },
    {
      id: 'finite-differences',
      title: 'Models without gradients',
      formulas: ['J z ≈ (u(x + h z) − u(x − h z)) / 2h'],
      text: 'A plain ONNX network has no backward pass, so Jacobian-vector products are taken by central differences, with h chosen for float32 and the error checked against the analytic oracle.',
      keywords: 'central differences onnx jvp',
    },
    {
      id: 'units',
      title: 'Nats and bits per dimension',
      formulas: ['NLL = −log p_0(x_0)  (nats)', 'bits/dim = NLL / (d ln 2)'],
      text: 'Both units are reported; bits per dimension compares data sets of different d.',
      keywords: 'bpd bits per dimension nats units',
    },
  ],
};
