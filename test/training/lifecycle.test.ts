// Training worker lifecycle through the supervisor: bounded progress rate, previews, pause/resume, cancel, two runs at once.
import { afterEach, describe, expect, it } from 'vitest';
import { readMetrics, readRunRecord } from '../../src-main/runs';
import { spawnChild } from '../../src-main/process/child-process';
import type { TrainingSupervisor } from '../../src-main/training/supervisor';
import { lastProgressStep, latestCheckpoint, newRun, recordingSupervisor, smallConfig, tempWorkspace, until } from './helpers';

let live: TrainingSupervisor | null = null;
afterEach(async () => {
  await live?.stopAll();
  live = null;
});

describe('training worker', () => {
  it('streams progress at a bounded rate, previews, logs every step and completes', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 2500, checkpointEvery: 1000 }));
    const { supervisor, seen } = recordingSupervisor({ settings: { progressIntervalMs: 100, previewIntervalMs: 400, previewPoints: 500, previewSteps: 4 } });
    live = supervisor;
    const started = await supervisor.launch(dir);
    expect(started.fromStep).toBe(0);
    await supervisor.waitForExit(id);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('completed');
    expect(record.lastStep).toBe(2500);
    expect(record.backend?.name).toBeTruthy();
    // at most ~10 per second: the worker sends one per 100 ms (the last, forced one aside). They are timed here, on
    // arrival, where one late message shortens the next gap by as much: any two gaps in a row span at least ~200 ms.
    const times = seen.progress.slice(0, -1).map((e) => e.at);
    const spans = times.slice(2).map((t, i) => t - times[i]);
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(160);
    const elapsed = (times[times.length - 1] - times[0]) / 1000;
    expect(seen.progress.length).toBeLessThanOrEqual(Math.ceil(elapsed * 10) + 3);
    // the ETA is there from the first progress report on (the rate counts from the start of training)
    expect(seen.progress[0].p.etaSec).not.toBeNull();
    const last = seen.progress[seen.progress.length - 1].p;
    expect(last.step).toBe(2500);
    expect(last.stepsPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(last.loss ?? NaN)).toBe(true);
    // a preview at the end at least, 500 finite 2D points
    expect(seen.previews.length).toBeGreaterThanOrEqual(1);
    const p = seen.previews[seen.previews.length - 1].points;
    expect(p.length).toBe(1000);
    expect(p.every(Number.isFinite)).toBe(true);
    const m = await readMetrics(dir);
    expect(m.total).toBe(2500);
    expect((await latestCheckpoint(dir)).step).toBe(2500);
  });

  it('two launches of one run at once (a restart and a resume) give it one worker; the other is refused', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 300, checkpointEvery: 100 }));
    let spawned = 0;
    // a slow machine: each worker takes 300 ms to spawn, the time a second launch needs to arrive meanwhile
    const spawn: typeof spawnChild = async (options) => {
      spawned++;
      await new Promise((r) => setTimeout(r, 300));
      return spawnChild(options);
    };
    const { supervisor } = recordingSupervisor({ spawn });
    live = supervisor;
    const both = await Promise.allSettled([supervisor.launch(dir), supervisor.launch(dir)]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/is already training/);
    expect(spawned).toBe(1);
    await supervisor.waitForExit(id);
    expect((await readRunRecord(dir)).status).toBe('completed');
    expect((await latestCheckpoint(dir)).step).toBe(300);
  });

  it('pauses with a checkpoint, holds still, and resumes to the end', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 3000, checkpointEvery: 5000 }));
    const { supervisor, seen } = recordingSupervisor({ settings: { progressIntervalMs: 20 } });
    live = supervisor;
    await supervisor.launch(dir);
    await until(() => lastProgressStep(seen, id) > 100, 20_000, 'step 100');
    supervisor.pause(id);
    await until(() => seen.statuses.some((s) => s.record.status === 'paused'), 10_000, 'paused');
    const pausedAt = (await readRunRecord(dir)).lastStep;
    expect((await latestCheckpoint(dir)).step).toBe(pausedAt);
    const before = seen.progress.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.progress.length).toBe(before);
    expect(supervisor.isActive(id)).toBe(true);
    await supervisor.resume(dir, id);
    await supervisor.waitForExit(id);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('completed');
    expect((await readMetrics(dir)).total).toBe(3000);
  });

  it('cancels with a checkpoint and refuses to resume a cancelled run', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 100_000 }));
    const { supervisor, seen } = recordingSupervisor();
    live = supervisor;
    await supervisor.launch(dir);
    await until(() => lastProgressStep(seen, id) > 50, 20_000, 'step 50');
    await supervisor.cancel(dir, id);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('cancelled');
    expect(record.finishedAt).not.toBeNull();
    expect((await latestCheckpoint(dir)).step).toBe(record.lastStep);
    await expect(supervisor.resume(dir, id)).rejects.toThrow(/cancelled/);
  });

  it('trains two runs at once', async () => {
    const ws = await tempWorkspace();
    const a = await newRun(ws, smallConfig({ steps: 1500 }));
    const b = await newRun(ws, smallConfig({ steps: 1500, seed: 8, objective: { schedule: { name: 'vp-cosine' }, parameterisation: 'eps' } }));
    const { supervisor, seen } = recordingSupervisor({ settings: { progressIntervalMs: 50 } });
    live = supervisor;
    await Promise.all([supervisor.launch(a.dir), supervisor.launch(b.dir)]);
    expect(supervisor.activeRuns().sort()).toEqual([a.id, b.id].sort());
    await Promise.all([supervisor.waitForExit(a.id), supervisor.waitForExit(b.id)]);
    for (const r of [a, b]) expect((await readRunRecord(r.dir)).status).toBe('completed');
    // their progress interleaved: each run reported while the other was still training
    const firstEndA = seen.progress.findIndex((e) => e.runId === a.id && e.p.step === 1500);
    expect(seen.progress.slice(0, firstEndA).some((e) => e.runId === b.id)).toBe(true);
  });
});
