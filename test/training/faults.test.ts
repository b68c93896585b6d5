// Faults of a training run: a non-finite loss, the worker killed mid-run (reported, then resumed), bad configs and missing data.
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { readMetrics, readRunRecord } from '../../src-main/runs';
import type { TrainingSupervisor } from '../../src-main/training/supervisor';
import { TrainingService } from '../../src-main/training/training-service';
import { WORKER, lastProgressStep, latestCheckpoint, metricRecords, newRun, recordingSupervisor, requireWorker, smallConfig, tempWorkspace, until } from './helpers';
import { signalProcess } from '../../src-main/process';

let live: TrainingSupervisor | null = null;
afterEach(async () => {
  await live?.stopAll();
  live = null;
});

describe('training faults', () => {
  it('stops on a non-finite loss naming the step and keeps the last good checkpoint', async () => {
    const ws = await tempWorkspace();
    // AdamW's decoupled decay w <- w (1 - lr wd) diverges once lr wd > 2 (here during warm-up): weights, then the loss, overflow.
    const { id, dir } = await newRun(ws, smallConfig({ steps: 3000, checkpointEvery: 25, optimiser: { kind: 'adamw', lr: 1, weightDecay: 10, warmupSteps: 200, gradClip: null } }));
    const { supervisor, seen } = recordingSupervisor();
    live = supervisor;
    await supervisor.launch(dir);
    await supervisor.waitForExit(id);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('failed');
    const failedAt = Number(/at step (\d+)/.exec(record.error ?? '')?.[1]);
    expect(failedAt).toBeGreaterThan(25);
    expect(record.error).toMatch(/(loss became (NaN|Infinity|-Infinity)|gradient norm became) .*at step \d+; .*last good checkpoint is step \d+/);
    const kept = await latestCheckpoint(dir);
    expect(kept.step).toBeLessThan(failedAt);
    expect(kept.step % 25).toBe(0);
    expect(Number(/checkpoint is step (\d+)/.exec(record.error ?? '')?.[1])).toBe(kept.step);
    expect(kept.weights.every(Number.isFinite)).toBe(true);
    expect(seen.statuses.some((s) => s.message === record.error)).toBe(true);
    // every step up to the failing one is logged, those run in the same backend call before it included
    expect(Array.from((await readMetrics(dir)).step)).toEqual(Array.from({ length: failedAt }, (_, i) => i + 1));
  });

  it('reports a worker killed with SIGKILL and resumes from its checkpoint', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 1500, checkpointEvery: 100 }));
    const { supervisor, seen } = recordingSupervisor({ settings: { progressIntervalMs: 20 } });
    live = supervisor;
    await supervisor.launch(dir);
    await until(() => lastProgressStep(seen, id) > 250, 20_000, 'step 250');
    signalProcess(supervisor.pid(id), 'SIGKILL');
    await supervisor.waitForExit(id);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^the training process was killed \(SIGKILL\) at step \d+; resume from step \d+$/);
    const resumeFrom = Number(/resume from step (\d+)/.exec(record.error ?? '')?.[1]);
    expect(resumeFrom % 100).toBe(0);
    expect(resumeFrom).toBeGreaterThanOrEqual(200);
    await supervisor.resume(dir, id);
    expect(seen.started[seen.started.length - 1].fromStep).toBe(resumeFrom);
    await supervisor.waitForExit(id);
    expect((await readRunRecord(dir)).status).toBe('completed');
    // every step logged once, strictly increasing across the resume (readMetrics throws on a step out of order)
    const m = await readMetrics(dir);
    expect(m.total).toBe(1500);
    const steps = (await metricRecords(dir)).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
  });

  it('restarts a killed worker automatically while the restart policy allows', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 1200, checkpointEvery: 100 }));
    const { supervisor, seen } = recordingSupervisor({ autoRestart: true, settings: { progressIntervalMs: 20 } });
    live = supervisor;
    await supervisor.launch(dir);
    await until(() => lastProgressStep(seen, id) > 150, 20_000, 'step 150');
    signalProcess(supervisor.pid(id), 'SIGKILL');
    await until(() => seen.started.length === 2, 20_000, 'the restart');
    while (supervisor.isActive(id)) await supervisor.waitForExit(id);
    expect(seen.statuses.some((s) => /killed \(SIGKILL\).*\(restarting it\)/.test(s.message ?? ''))).toBe(true);
    expect((await readRunRecord(dir)).status).toBe('completed');
    expect((await readMetrics(dir)).total).toBe(1200);
  });

  it('answers a bad config with a typed error naming the field, and a missing data set with a failed start', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    const service = new TrainingService(ws, new EventHub(), { workerPath: WORKER, autoRestart: false, settings: { previewIntervalMs: 0 } });
    const bad = await service.start({ batchSize: -3, model: { family: 'mlp', hidden: [] } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid-argument' });
    expect((bad as Error).message).toMatch(/batchSize/);
    expect((bad as Error).message).toMatch(/model\.hidden/);
    const missing = await service.start({ data: { source: 'workspace', id: 'nowhere' } }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/no data set 'nowhere'/);
    const { runs } = await service.list();
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('failed');
    expect(runs[0].error).toMatch(/nowhere/);
  });
});
