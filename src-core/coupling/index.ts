// Couplings between batches: exact assignment, log-domain Sinkhorn, plan sampling and batch re-pairing.
export * from './assignment';
export * from './cost';
export * from './ot-pair';
export * from './plan-sampling';
export * from './sinkhorn';
