// Deleting runs through the training service, and the lifecycle faults the model test found: each as a focused case.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { isDescendant, signalProcess } from '../../src-main/process';
import { readLatestCheckpoint, readRunRecord, runDir, runsRoot } from '../../src-main/runs';
import { ExportService } from '../../src-main/export/export-service';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { TrainingService } from '../../src-main/training/training-service';
import { built, have } from '../prerequisites';
import { WORKER, smallConfig, tempWorkspace, until } from '../training/helpers';

const ready = have(built('out/main/training-worker.js'));

/** A training service over a workspace whose events are recorded. */
function service(ws: string) {
  const events = new EventHub();
  const seen = { statuses: [] as { id: string; name: string; status: string; message: string | null }[], deleted: [] as string[], step: new Map<string, number>() };
  events.on('training.status', (p) => seen.statuses.push({ id: p.run.id, name: p.run.name, status: p.run.status, message: p.message }));
  events.on('training.deleted', (p) => seen.deleted.push(p.runId));
  events.on('training.progress', (p) => seen.step.set(p.runId, p.step));
  const s = new TrainingService(ws, events, { workerPath: WORKER, settings: { previewIntervalMs: 0, progressIntervalMs: 10 } });
  open.push(s);
  return { s, seen };
}

const open: TrainingService[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.shutdown()));
});

const LONG = smallConfig({ steps: 1_000_000, checkpointEvery: 100 });

describe.skipIf(!ready)('training.delete', () => {
  it('stops a training run, removes its folder, announces it; a paused and a finished run go too', async () => {
    const ws = await tempWorkspace();
    const { s, seen } = service(ws);
    const h = s.handlers();
    const training = (await s.start(LONG, 'training')).runId;
    const paused = (await s.start(LONG, 'paused')).runId;
    const done = (await s.start(smallConfig({ steps: 50 }), 'done')).runId;
    await until(() => (seen.step.get(paused) ?? 0) > 20, 20_000, 'progress');
    await h['training.pause']({ runId: paused });
    await until(() => seen.statuses.some((x) => x.id === paused && x.status === 'paused'), 20_000, 'the pause');
    await until(() => seen.statuses.some((x) => x.id === done && x.status === 'completed'), 20_000, 'the end of the short run');
    const pids = [s.supervisor.pid(training)!, s.supervisor.pid(paused)!];
    for (const id of [training, paused, done]) await h['training.delete']({ runId: id });
    expect(seen.deleted).toEqual([training, paused, done]);
    expect(await readdir(runsRoot(ws))).toEqual([]);
    expect(await h['training.list']({})).toEqual({ runs: [], unreadable: [] });
    for (const pid of pids) expect(isDescendant(pid)).toBe(false);
    await expect(h['training.delete']({ runId: training })).rejects.toMatchObject({ code: 'not-found' });
    await expect(h['training.resume']({ runId: training })).rejects.toThrow();
  }, 60_000);

  it('deletes a folder that is not a readable run, and a restart sweeps what an interrupted delete left', async () => {
    const ws = await tempWorkspace();
    await mkdir(join(runsRoot(ws), 'damaged'), { recursive: true });
    await writeFile(join(runsRoot(ws), 'damaged', 'config.json'), '{ not json');
    await mkdir(join(runsRoot(ws), '.deleting-old-1234abcd', 'checkpoints'), { recursive: true });
    const { s } = service(ws);
    const h = s.handlers();
    expect((await h['training.list']({})).unreadable).toHaveLength(1);
    await h['training.delete']({ runId: 'damaged' });
    expect(await h['training.list']({})).toEqual({ runs: [], unreadable: [] });
    expect(await readdir(runsRoot(ws))).toEqual([]);
  });
});

describe.skipIf(!ready)('lifecycle faults found by the model test', () => {
  it('training.start returns once the list says the run is training (it said created)', async () => {
    const { s } = service(await tempWorkspace());
    const { runId } = await s.start(LONG);
    expect((await s.list()).runs.find((r) => r.id === runId)).toMatchObject({ status: 'running', active: true });
  }, 30_000);

  it("a paused run whose worker dies stays paused at its checkpoint (it was restarted and trained again, or marked failed)", async () => {
    const ws = await tempWorkspace();
    const { s, seen } = service(ws);
    const { runId } = await s.start(LONG);
    await until(() => (seen.step.get(runId) ?? 0) > 20, 20_000, 'progress');
    await s.handlers()['training.pause']({ runId });
    await until(() => seen.statuses.some((x) => x.status === 'paused'), 20_000, 'the pause');
    const at = (await readRunRecord(runDir(ws, runId))).lastStep;
    signalProcess(s.supervisor.pid(runId), 'SIGKILL');
    await until(() => seen.statuses.some((x) => /killed \(SIGKILL\) while paused/.test(x.message ?? '')), 5_000, 'the report');
    await s.supervisor.waitForExit(runId);
    await new Promise((r) => setTimeout(r, 500)); // a restart, if one were made, would be under way by now
    expect(s.supervisor.isActive(runId)).toBe(false);
    const record = await readRunRecord(runDir(ws, runId));
    expect(record).toMatchObject({ status: 'paused', lastStep: at });
    expect(record.error).toBe(`the training process was killed (SIGKILL) while paused at step ${at}; resume continues from step ${at}`);
    expect((await readLatestCheckpoint(runDir(ws, runId)))?.checkpoint.step).toBe(at);
    await s.handlers()['training.resume']({ runId });
    await until(() => (seen.step.get(runId) ?? 0) > at, 20_000, 'training after the resume');
  }, 60_000);

  it('an export or a sampling that races a delete does not bring back the run folder (it came back holding only exports/ or .live/)', async () => {
    const ws = await tempWorkspace();
    const { s } = service(ws);
    const h = s.handlers();
    const sampling = new SamplingService(null, undefined, ws);
    const exporting = new ExportService(ws);
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const { runId } = await s.start(smallConfig({ steps: 60, checkpointEvery: 20 }));
        while (s.supervisor.isActive(runId)) await s.supervisor.waitForExit(runId);
        const work = i % 2 === 0
          ? exporting.export(runId, 'racing', { overwrite: false })
          : sampling.run({ model: { kind: 'run', runId }, sampler: 'euler', steps: 2, n: 4, seed: 1, grid: 'uniform', denoiseLast: false });
        const outcome = work.then(() => 'written', (err: Error) => err.message);
        await new Promise((r) => setTimeout(r, 3 + (i % 9)));
        await h['training.delete']({ runId });
        outcomes.push(await outcome);
        expect(await readdir(runsRoot(ws)), `try ${i}: ${outcomes[i]}`).toEqual([]);
      }
      expect(await h['training.list']({})).toEqual({ runs: [], unreadable: [] });
    } finally {
      await sampling.close();
    }
  }, 90_000);
});
