// Public surface of the tfjs training path: graph evaluation with tfjs ops and TfjsTrainer.
export { type MatMulGradient } from './dense';
export { graphToTfjs, paramViews } from './graph-to-tfjs';
export { TfjsTrainer } from './tfjs-trainer';
