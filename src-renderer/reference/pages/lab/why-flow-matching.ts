// Reference entries of the Lab's why-flow-matching panel: a CNF trained by maximum likelihood through its ODE solve, flow matching's one-evaluation regression, and what each training step costs.
import type { ReferenceEntry } from '../../types';

export const WHY_FLOW_MATCHING_ENTRIES: readonly ReferenceEntry[] = [
  {
    id: 'why-flow-matching',
    title: 'Why flow matching: the same network, two ways to train it',
    formulas: [
      'CNF:  L(θ) = −E log p_0(x),   log p_0(x) = log N(x_1; 0, I) + ∫_0^1 div u_θ(x_t, t) dt,   dx_t/dt = u_θ(x_t, t),  x_0 = x',
      'flow matching:  L(θ) = E || u_θ((1 − t) x_0 + t x_1, t) − (x_1 − x_0) ||^2,   x_1 ~ N(0, I),  t ~ U(0, 1)',
      'NFE per training step:  CNF = stages × solver steps × d;   flow matching = 1',
    ],
    text: 'Both losses train one velocity field u_θ whose ODE carries N(0, I) at t = 1 to the data at t = 0. Maximum likelihood scores the density the ODE defines, so every step integrates the ODE, with the divergence alongside, and backpropagates through every stage of the solve. Flow matching regresses u_θ on the straight path\'s velocity at one random time, so a step is one network evaluation; the likelihood it reaches is measured afterwards by the same solve.',
    keywords: 'cnf continuous normalising flow maximum likelihood flow matching nfe training cost why lab',
  },
  {
    id: 'cnf-solve-cost',
    title: 'What a CNF training step costs',
    formulas: ['RK4: 4 stages per step;  Euler: 1', 'exact divergence: Σ_j ∂u_j/∂x_j, one vector–Jacobian product per dimension j', 'held-out NLL = −(1/n) Σ_i log p_0(x_i)  (nats per point)'],
    text: 'The exact divergence needs d vector–Jacobian products at every stage, each a forward and a backward pass of the network, and the gradient of the loss then runs back through all of them. The Lab measures the held-out NLL of both trainings by one finer RK4 solve with the exact divergence, so a CNF cannot look better by exploiting its own coarse training solver.',
    keywords: 'divergence vjp rk4 euler solver stages held-out nll nats lab',
  },
];
