// Public surface of the training-graph compiler: gradient rules, reverse-mode differentiation and the compiled step.
export type { GradContext, GradRule, VjpBuilder } from './grad-rule';
export { vjpFor } from './grad-rule';
export { GRAD_RULES, createGradTable, gradTable } from './registry';
export { Emitter } from './emitter';
export { emitBackprop } from './backprop';
export { emitForward, type ForwardCopy, type ParamViewMode } from './forward-copy';
export { emitWeightedMse, type LossNodes } from './loss';
export { emitOptimiser, type OptimiserInputs, type OptimiserOutputs } from './optimiser';
export { STEP_IO, compileTrainingStep, compileParametricForward, type TrainingStepOptions } from './compile';
