// Stochastic process simulators (Brownian motion, Ornstein–Uhlenbeck, a schedule's forward SDE): public API.
export { simulateBrownian, simulateOrnsteinUhlenbeck, simulateForwardSde, forwardTMax, SINGULAR_T_MAX } from './processes';
export {
  simulateLinearSde,
  uniformGrid,
  MAX_PATH_VALUES,
  type CancelFlag,
  type LinearSde,
  type SimulationMethod,
  type SimulationOptions,
  type SimulationResult,
} from './linear-sde';
