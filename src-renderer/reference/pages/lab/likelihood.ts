// Reference entries of the Lab's likelihood panel: log p by the probability-flow ODE, Hutchinson's estimate of the divergence, and bits per dimension of dequantised pixels.
import type { ReferenceEntry } from '../../types';

export const LIKELIHOOD_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'likelihood-grid',
    title: 'log p through the probability-flow ODE',
    formulas: ['d/dt [x_t, ℓ_t] = [u(x_t, t), div u(x_t, t)],   x_0 = x,  ℓ_0 = 0,  t: 0 → 1', 'log p_0(x) = log N(x_1; 0, σ_1^2 I) + ℓ_1', 'div u = Σ_j ∂u_j/∂x_j   (exact: one derivative per dimension)', 'check: Σ_cells p_0 · cell area ≈ 1'],
    text: 'Each point rides the ODE from the data end to the noise end; the change of variables adds up how much the flow spreads space (its divergence) on the way. On a grid of 2-D points this draws the whole density the model stands for, which must hold mass 1; the exact mixture density (the oracle) is the truth to compare with, and the average of −log p over fresh draws is the held-out NLL in nats.',
    keywords: 'likelihood log p density nll probability flow ode divergence change of variables instantaneous lab',
  },
  {
    id: 'hutchinson',
    title: "Hutchinson's divergence estimate",
    formulas: ['div u = E_z[ zᵀ (∂u/∂x) z ],   z with independent ±1 entries', 'one probe: one vector–Jacobian product instead of d'],
    text: 'The trace of the Jacobian is the mean of zᵀ J z over random sign vectors, so one product per probe replaces d of them; that is what makes images (d = 784) affordable. The estimate is unbiased, so its mean over many points matches the exact divergence within its standard error, which shrinks as 1/√probes.',
    keywords: 'hutchinson trace estimator rademacher probes divergence unbiased standard error lab',
  },
  {
    id: 'bits-per-dimension',
    title: 'Bits per dimension of 8-bit images',
    formulas: ['y = a (k + u) + b,   k ∈ {0..255},  u ~ U(0, 1),  a = 1/255,  b = −1/510', 'nll_k = −log p(y) − d log a   (nats, over [0, 256)^d)', 'bpd = nll_k / (d ln 2);   the uniform density gives 8 exactly'],
    text: 'A continuous density on discrete pixels is meaningless until each grey level is spread over its own cell (dequantisation); the NLL then counts bits per pixel of the levels themselves, the units image models are compared in. The run\'s normalisation adds its log-determinant so the density is in the data\'s own units first.',
    keywords: 'bits per dimension bpd dequantisation mnist pixels nats units lab',
  },
];
