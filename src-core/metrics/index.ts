// Sample-based metrics: MMD^2 and its permutation test, energy distance, W2 (exact, sliced), path straightness and kinetic energy.
export * from './energy';
export * from './mmd';
export * from './mmd-null';
export * from './path-metrics';
export * from './wasserstein';
