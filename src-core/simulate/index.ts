// Stochastic process simulators (Brownian motion, Ornstein–Uhlenbeck, a schedule's forward SDE): public API.
export { simulateBrownian, simulateOrnsteinUhlenbeck, simulateForwardSde, forwardTMax, SINGULAR_T_MAX } from './processes';
export { simulateLinearSde, uniformGrid, type LinearSde, type SimulationMethod, type SimulationResult } from './linear-sde';
