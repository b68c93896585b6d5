// The MLP family's folder: its graph builder and its family entry.
export { buildMlp, type MlpModel, type MlpOptions } from './graph';
export { mlpFamily } from './family';
export { mlpConfig } from './schema';
