// Reference page for MATH.md §2: the five things a network can predict and how each turns into the others.
import type { ReferencePage } from '../types';

export const OUTPUTS_PAGE: ReferencePage = {
  id: 'outputs',
  section: 2,
  title: 'One network output, every quantity',
  intro: 'The network predicts one quantity at (x_t, t); the schedule turns it into all the others. Below x stands for x_t, and α, σ, α\', σ\' are read at t.',
  entries: [
    {
      id: 'parameterisations',
      title: 'What the network can predict',
      formulas: ['eps → ε,   x0 → x_0,   score → ∇ log p_t(x)', "v → α ε − σ x_0,   velocity → u = dx_t/dt"],
      text: 'The "Predicts" choice of the Train form. All five carry the same information; they differ in how hard they are to learn near each end of the path.',
      keywords: 'parameterisation predicts eps x0 score v velocity',
    },
    {
      id: 'from-eps',
      title: 'From noise (eps)',
      formulas: ['x_0 = (x − σ ε) / α', 'score = −ε / σ'],
      text: 'Undoing the path: remove the predicted noise, then rescale. The score is the noise divided by its scale, with a minus sign.',
      keywords: 'eps noise prediction denoise',
    },
    {
      id: 'v',
      title: 'The v quantity (Salimans–Ho)',
      formulas: ['v = α ε − σ x_0'],
      text: 'A rotation of (x_0, ε) that stays well scaled at both ends of a variance-preserving path.',
      keywords: 'v-prediction salimans ho',
    },
    {
      id: 'velocity',
      title: 'Velocity',
      formulas: ["u = α' x_0 + σ' ε"],
      text: 'The time derivative of the path for a fixed pair (x_0, ε). On the linear path it is ε − x_0.',
      keywords: 'velocity flow matching u dx/dt',
    },
    {
      id: 'from-velocity',
      title: 'From velocity',
      formulas: ["D = α σ' − α' σ   (> 0 for every valid schedule)", "ε = (α u − α' x) / D", "x_0 = (σ' x − σ u) / D"],
      text: 'Solving the two linear equations x = α x_0 + σ ε and u = α\' x_0 + σ\' ε. These stay finite at α = 0, which is why samplers use them at t = 1 on the linear path.',
      keywords: 'conversion velocity determinant',
    },
    {
      id: 'from-v',
      title: 'From v (variance preserving)',
      formulas: ['x_0 = α x − σ v', 'ε = σ x + α v', 'valid where α^2 + σ^2 = 1'],
      text: 'When the schedule preserves variance, x and v are a rotation of x_0 and ε, so the inverse is the transposed rotation.',
      keywords: 'v conversion vp',
    },
  ],
};
