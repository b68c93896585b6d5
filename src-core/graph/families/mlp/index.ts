// The MLP family's folder: its graph builder and its family entry.
export { ACTIVATIONS, buildMlp, type Activation, type MlpModel, type MlpOptions } from './graph';
export { mlpFamily } from './family';
export { mlpSchema } from './schema';
