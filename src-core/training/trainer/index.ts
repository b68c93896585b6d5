// Public entry of the backend-agnostic training loop: random streams, data cursor, batches, learning rate, smoothing, the loop.
export { createRngStreams, restoreRngStreams, rngStates } from './rng-streams';
export { DataSource, drawRows, type DataRows } from './data-source';
export { BatchBuilder, type BatchSources } from './batch-builder';
export { learningRate } from './lr-schedule';
export { SmoothedLoss } from './smoothed-loss';
export { NonFiniteLossError, Trainer, freshTrainerState, type StepReport } from './trainer';
