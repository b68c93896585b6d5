// Built-in 2D data sets: public API.
export { DATASETS, datasetMixture, datasetRegistry, generateDataset } from './datasets';
export { DEFAULT_MIXTURE } from './mixtures';
export { MAX_COUNT, resolveParams } from './params';
export { summarize } from './summarize';
