// Public entry of the backend-agnostic training loop: random streams, data cursor, batches, learning rate, smoothing, the loop.
export { RNG_STREAMS, createRngStreams, restoreRngStreams, rngStates, type RngStreamName, type RngStreams } from './rng-streams';
export { DataSource, drawRows, type DataCursor, type DataRows } from './data-source';
export { BatchBuilder, BRIDGE_T_EDGE, type BatchSources, type MutableTrainBatch } from './batch-builder';
export { learningRate, type LrSettings } from './lr-schedule';
export { SmoothedLoss } from './smoothed-loss';
export { NonFiniteLossError, Trainer, freshTrainerState, type LoopState, type StepReport } from './trainer';
