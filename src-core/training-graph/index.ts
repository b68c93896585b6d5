// Public surface of the training-graph compiler: gradient rules, reverse-mode differentiation and the compiled step.
export { GRAD_RULES, createGradTable, gradTable } from './registry';
export { Emitter } from './emitter';
export { emitBackprop } from './backprop';
export { type ParamViewMode } from './forward-copy';
export { STEP_IO, stepIo, compileTrainingStep, compileParametricForward } from './compile';
