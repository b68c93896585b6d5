// The run store's public entry: runs, their metrics log and their checkpoints.
export { configHash, createRun, listRuns, loadRun, readRunRecord, runDir, runsRoot, updateRun, writeNewRun } from './run-store';
export type { RunInfo, RunRecord, RunUpdate } from './run-store';
export { MetricsLog, readMetrics } from './metrics-log';
export { readLatestCheckpoint, writeCheckpoint } from './checkpoint-store';
export { decodeCheckpoint, type Checkpoint } from './checkpoint-format';
