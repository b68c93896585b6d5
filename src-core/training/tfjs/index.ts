// Public surface of the tfjs training path: graph evaluation with tfjs ops, the flat training step and TfjsTrainer.
export { dense, type MatMulGradient } from './dense';
export { TFJS_OP_ROWS, tfjsOpTable, type CompileContext, type TfjsKernel, type TfjsOpCompiler } from './tfjs-ops';
export { checkTfjsOps, graphToTfjs, paramViews, type GraphToTfjsOptions, type TfjsGraph } from './graph-to-tfjs';
export { flatSegments, flatTrainStep, weightedMse, type FlatSegment, type FlatState, type StepScalars, type StepTensors } from './tfjs-step';
export { TfjsTrainer, type TfjsTrainerOptions } from './tfjs-trainer';
