// Shared fixtures of the training process tests: the built worker, temp workspaces, runs and a supervisor that records events.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { createRun, readLatestCheckpoint, type Checkpoint, type RunRecord } from '../../src-main/runs';
import { TrainingSupervisor, type SupervisorOptions, type WorkerSettingsInput } from '../../src-main/training/supervisor';
import type { WorkerProgress } from '../../src-main/training/worker-protocol';

/** The built worker (npm test builds first; alone, run `npx electron-vite build`). */
export const WORKER = resolve('out/main/training-worker.js');

/** Throws a clear message when the worker has not been built. */
export function requireWorker(): void {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npx electron-vite build\` first`);
}

/** A small, fast run: MLP [64, 64] on eight gaussians. */
export function smallConfig(overrides: TrainingConfigInput = {}): TrainingConfigInput {
  return { model: { family: 'mlp', hidden: [64, 64] }, steps: 400, batchSize: 64, checkpointEvery: 100, seed: 7, ...overrides };
}

/** A fresh temporary workspace folder. */
export function tempWorkspace(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ds-train-'));
}

/** Creates a run in a workspace and returns its folder and id. */
export async function newRun(workspace: string, config: TrainingConfigInput): Promise<{ id: string; dir: string }> {
  return createRun(workspace, parseTrainingConfig(config));
}

/** What a recording supervisor saw. */
interface Recorded {
  readonly progress: { at: number; runId: string; p: WorkerProgress }[];
  readonly statuses: { runId: string; record: RunRecord; message: string | null }[];
  readonly started: { runId: string; fromStep: number }[];
  readonly previews: { runId: string; step: number; points: Float32Array }[];
  readonly logs: string[];
}

/** A supervisor over the built worker whose listener records everything. */
export function recordingSupervisor(options: Partial<SupervisorOptions> & { settings?: WorkerSettingsInput } = {}): { supervisor: TrainingSupervisor; seen: Recorded } {
  requireWorker();
  const seen: Recorded = { progress: [], statuses: [], started: [], previews: [], logs: [] };
  const supervisor = new TrainingSupervisor({
    workerPath: WORKER,
    autoRestart: false,
    ...options,
    settings: { previewIntervalMs: 0, ...options.settings },
    listener: {
      started: (runId, s) => seen.started.push({ runId, fromStep: s.fromStep }),
      progress: (runId, p) => seen.progress.push({ at: Date.now(), runId, p }),
      status: (runId, record, message) => seen.statuses.push({ runId, record, message }),
      preview: (runId, p) => seen.previews.push({ runId, step: p.step, points: p.points }),
      log: (_id, level, message) => seen.logs.push(`${level}: ${message}`),
    },
  });
  return { supervisor, seen };
}

/** Resolves once the condition holds (polled), or rejects after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The last step a run's progress reached so far. */
export function lastProgressStep(seen: Recorded, runId: string): number {
  const mine = seen.progress.filter((e) => e.runId === runId);
  return mine.length ? mine[mine.length - 1].p.step : 0;
}

/** sha256 of a checkpoint's weights, EMA, moments, optimiser step and random-stream states. */
export function checkpointHash(c: Checkpoint): string {
  const h = createHash('sha256');
  for (const a of [c.weights, c.ema, c.optimiser.m, c.optimiser.v]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  h.update(JSON.stringify({ step: c.step, optimiserStep: c.optimiser.step, rng: c.rng, cursor: c.dataCursor }));
  return h.digest('hex');
}

/** The latest checkpoint of a run (throws if there is none). */
export async function latestCheckpoint(dir: string): Promise<Checkpoint> {
  const latest = await readLatestCheckpoint(dir);
  if (!latest) throw new Error(`${dir} has no checkpoint`);
  return latest.checkpoint;
}

/** The raw metrics.jsonl records of a run. */
export async function metricRecords(dir: string): Promise<{ step: number; loss: number | null }[]> {
  const text = await readFile(join(dir, 'metrics.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number | null });
}
