// The run store's public entry: runs, their metrics log and their checkpoints.
export { configHash, createRun, listRuns, loadRun, readRunRecord, runDir, runsRoot, updateRun, writeNewRun } from './run-store';
export type { RunInfo, RunRecord, RunUpdate } from './run-store';
export { METRICS_FILE, METRIC_COLUMNS, MetricsLog, readMetrics } from './metrics-log';
export type { MetricColumn, MetricColumns, MetricRecord, MetricsLogOptions, ReadMetricsOptions } from './metrics-log';
export { checkpointFileName, readLatestCheckpoint, writeCheckpoint } from './checkpoint-store';
export type { CheckpointStage, LatestCheckpoint, WriteCheckpointOptions } from './checkpoint-store';
export { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint-format';
export { minMaxIndices } from './downsample';
