// Public surface of the tfjs training path: graph evaluation with tfjs ops, the flat optimiser update and TfjsTrainer.
export { type MatMulGradient } from './dense';
export { graphToTfjs, paramViews, type TfjsGraph } from './graph-to-tfjs';
export { TFJS_OP_ROWS, type TfjsOpCompiler } from './tfjs-ops';
export { flatAdamUpdate, type FlatState } from './tfjs-step';
export { TfjsTrainer } from './tfjs-trainer';
