// Built-in 2D data sets: public API.
export { DATASETS, datasetMixture, datasetRegistry, generateDataset } from './datasets';
export { DEFAULT_MIXTURE } from './mixtures';
export { MAX_COUNT, resolveParams } from './params';
export { summarize, type BatchSummary } from './summarize';
export type { DatasetDefinition, DatasetParam, DatasetParamsInput, ResolvedParams } from './types';
