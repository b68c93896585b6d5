// Worker faults, counted: SIGKILL of the training worker at random steps, the restart policy, a death before the first step, a resume that cannot start, damaged run files, damaged models, and SIGKILL of the sampling process mid-request.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { buildMlp, initParams } from '../../src-core/graph';
import { studioMetadata } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { parseTrainingConfig } from '../../src-core/training/config';
import { deleteDataset } from '../../src-main/datasets/dataset-folder';
import { RestartPolicy, signalProcess } from '../../src-main/process';
import { readLatestCheckpoint, readRunRecord, type RunRecord } from '../../src-main/runs';
import { createChildProcessRunner } from '../../src-main/sampling/child-runner';
import { createInProcessRunner } from '../../src-main/sampling/onnx-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
import { DatasetsService } from '../../src-main/services/datasets-service';
import { createRunAt } from '../../src-main/training/run-folder';
import { TrainingSupervisor, type SupervisorOptions } from '../../src-main/training/supervisor';
import { built, have } from '../prerequisites';
import { WORKER, newRun, requireWorker, smallConfig, tempWorkspace, until } from '../training/helpers';
import { inspectRunFiles, medianMax } from './run-checks';
import { SOAK, timeoutFor, trials } from './soak';

const KILLS = trials(20, 200);
const SAMPLING_KILLS = trials(10, 200);
/** Checkpoint interval of the kill trials: a resume may lose at most this many steps. */
const EVERY = 100;
const CLI = resolve('out/main/cli.js');
const SAMPLING_WORKER = resolve('out/main/sampling-worker.js');

/** A supervisor over the built worker that timestamps what it reports; progress every 10 ms. */
function watched(options: Partial<SupervisorOptions> = {}) {
  requireWorker();
  const seen = { step: 0, started: [] as number[], statuses: [] as { at: number; record: RunRecord; message: string | null }[], logs: [] as string[] };
  const supervisor = new TrainingSupervisor({
    workerPath: WORKER,
    autoRestart: false,
    ...options,
    settings: { previewIntervalMs: 0, progressIntervalMs: 10, ...options.settings },
    listener: {
      started: (_id, s) => {
        seen.started.push(s.fromStep);
        seen.step = s.fromStep;
      },
      progress: (_id, p) => (seen.step = p.step),
      status: (_id, record, message) => seen.statuses.push({ at: performance.now(), record, message }),
      log: (_id, level, message) => seen.logs.push(`${level}: ${message}`),
    },
  });
  return { supervisor, seen };
}

/** The step latest.json commits to, read raw (0 when there is none yet). */
async function committedStep(dir: string): Promise<number> {
  const text = await readFile(join(dir, 'checkpoints', 'latest.json'), 'utf8').catch(() => null);
  return text ? (JSON.parse(text) as { step: number }).step : 0;
}

const live: TrainingSupervisor[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((s) => s.stopAll()));
});

describe('training worker faults', () => {
  it(`SIGKILL at random steps: detected in under a second, at most one checkpoint interval lost, files whole (${KILLS} trials)`, async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 10_000_000, checkpointEvery: EVERY }));
    const { supervisor, seen } = watched();
    live.push(supervisor);
    await supervisor.launch(dir);
    const rng = new Rng(2026);
    const detections: number[] = [];
    const lost: number[] = [];
    let checkpointsRead = 0;
    for (let trial = 0; trial < KILLS; trial++) {
      const target = seen.step + 1 + rng.int(2 * EVERY);
      await until(() => seen.step >= target, 30_000, `step ${target}`);
      const committed = await committedStep(dir);
      const reported = seen.step;
      const before = seen.statuses.length;
      const killedAt = performance.now();
      signalProcess(supervisor.pid(id), 'SIGKILL');
      const report = () => seen.statuses.slice(before).find((s) => /was killed \(SIGKILL\)/.test(s.message ?? ''));
      await until(() => report() !== undefined, 5_000, 'the report of the kill');
      detections.push(report()!.at - killedAt);
      await supervisor.waitForExit(id);
      const files = await inspectRunFiles(dir);
      checkpointsRead += files.checkpoints;
      expect(files.unreadable).toEqual([]);
      expect([files.outOfOrder, files.damaged]).toEqual([0, 0]);
      expect(files.steps).toEqual(Array.from({ length: files.steps.length }, (_, i) => i + 1));
      const said = Number(/resume from step (\d+)/.exec(report()!.message ?? '')?.[1]);
      await supervisor.resume(dir, id);
      const from = seen.started[seen.started.length - 1];
      // the resume starts at the newest checkpoint on disk: never older than the one committed before the kill
      expect(from).toBeGreaterThanOrEqual(Math.max(committed, said));
      expect(files.steps.length).toBeGreaterThanOrEqual(from);
      lost.push(reported - from);
      expect(reported - from).toBeLessThanOrEqual(EVERY);
    }
    await supervisor.cancel(dir, id);
    const record = await readRunRecord(dir);
    const end = await inspectRunFiles(dir);
    expect(end.steps).toEqual(Array.from({ length: record.lastStep }, (_, i) => i + 1));
    const d = medianMax(detections);
    const l = medianMax(lost);
    console.log(
      `[figure] training worker SIGKILL at random steps: ${KILLS} trials, detected in median ${d.median.toFixed(0)} ms, max ${d.max.toFixed(0)} ms; ` +
        `${checkpointsRead} checkpoint files read, 0 unreadable; steps lost by the resume median ${l.median}, max ${l.max} (interval ${EVERY}); ` +
        `metrics ${record.lastStep} records, steps strictly increasing, 0 duplicates`,
    );
    expect(d.max).toBeLessThan(1000);
  }, timeoutFor(KILLS, SOAK ? 3_000 : 4_000, 60_000));

  it('restarts a killed worker while fewer than 3 crashes fall in 5 minutes, then asks the person to resume', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 10_000_000, checkpointEvery: EVERY }));
    let now = 0;
    const { supervisor, seen } = watched({ autoRestart: true, restartPolicy: () => new RestartPolicy({ now: () => now }) });
    live.push(supervisor);
    await supervisor.launch(dir);
    const kill = async (): Promise<void> => {
      const target = seen.step + 20;
      await until(() => seen.step >= target, 30_000, `step ${target}`);
      signalProcess(supervisor.pid(id), 'SIGKILL');
    };
    // crashes 3 minutes apart: never 3 within 5 minutes, so each is restarted
    for (let k = 1; k <= 4; k++) {
      await kill();
      await until(() => seen.started.length === k + 1, 30_000, `restart ${k}`);
      now += 3 * 60_000;
    }
    // the third crash within 5 minutes (at 6, 9 and 10 minutes) is not restarted: the run waits for the person
    now -= 2 * 60_000;
    await kill();
    await until(() => !supervisor.isActive(id) && seen.statuses.some((s) => /not restarted automatically/.test(s.message ?? '')), 30_000, 'the refusal');
    const record = await readRunRecord(dir);
    expect(record.status).toBe('failed');
    // the run's error line, which the Train section shows beside its Resume button, asks for the resume
    expect(record.error).toMatch(/^the training process was killed \(SIGKILL\) at step \d+; resume from step \d+; it stopped 3 times within 5 minutes, so it is not restarted automatically: resume the run to try again$/);
    expect(seen.started).toHaveLength(5);
    await supervisor.resume(dir, id);
    expect(supervisor.isActive(id)).toBe(true);
    // the person's resume starts the count afresh: the next crash is restarted again
    await kill();
    await until(() => seen.started.length === 7, 30_000, 'the restart after the resume');
  }, 120_000);

  it('restarts a worker killed before its first step; the start waits for the restarted worker', async () => {
    const ws = await tempWorkspace();
    const { id, dir } = await newRun(ws, smallConfig({ steps: 300 }));
    const { supervisor, seen } = watched({ autoRestart: true });
    live.push(supervisor);
    const launching = supervisor.launch(dir);
    await until(() => supervisor.pid(id) !== undefined, 10_000, 'the worker');
    signalProcess(supervisor.pid(id), 'SIGKILL');
    const info = await launching;
    expect(info.fromStep).toBe(0);
    expect(seen.statuses.some((s) => /^the training process was killed \(SIGKILL\) while starting \(restarting it\)$/.test(s.message ?? ''))).toBe(true);
    while (supervisor.isActive(id)) await supervisor.waitForExit(id);
    expect((await readRunRecord(dir)).status).toBe('completed');

    // with automatic restarts off, the start fails once with the reason and the new run is marked failed
    const other = await newRun(ws, smallConfig({ steps: 300 }));
    const manual = watched({ autoRestart: false });
    live.push(manual.supervisor);
    const failing = manual.supervisor.launch(other.dir);
    await until(() => manual.supervisor.pid(other.id) !== undefined, 10_000, 'the worker');
    signalProcess(manual.supervisor.pid(other.id), 'SIGKILL');
    await expect(failing).rejects.toThrow(/^the training process was killed \(SIGKILL\) while starting$/);
    expect((await readRunRecord(other.dir)).status).toBe('failed');
  }, 60_000);

  it('a resume that cannot start leaves the run paused at its checkpoint, with the reason', async () => {
    const ws = await tempWorkspace();
    const set = await new DatasetsService(ws, new EventHub()).save('moons', { id: 'two-moons', count: 500, seed: 1 });
    const { id, dir } = await newRun(ws, smallConfig({ steps: 100_000, data: { source: 'workspace', id: set.id } }));
    const { supervisor } = watched();
    live.push(supervisor);
    await supervisor.launch(dir, { stopAfterStep: 200 });
    await supervisor.waitForExit(id);
    expect(await readRunRecord(dir)).toMatchObject({ status: 'paused', lastStep: 200 });
    await deleteDataset(ws, set.id);
    await expect(supervisor.resume(dir, id)).rejects.toThrow(/no data set/);
    const record = await readRunRecord(dir);
    expect(record).toMatchObject({ status: 'paused', lastStep: 200 });
    expect(record.error).toMatch(/no data set/);
    expect((await readLatestCheckpoint(dir))?.checkpoint.step).toBe(200);
  }, 60_000);
});

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => done({ code, out, err }));
  });
}

const count = (text: string, pattern: RegExp): number => text.split('\n').filter((l) => pattern.test(l)).length;

describe.runIf(have(built(CLI)))('damaged run files (command line)', () => {
  it('resumes after a flipped byte in metrics.jsonl and a truncated run.json, and exports without run.json, saying once what was dropped', async () => {
    const ws = await tempWorkspace();
    const dir = join(ws, 'run');
    await createRunAt(dir, parseTrainingConfig(smallConfig({ steps: 600, checkpointEvery: 100 })));
    const { supervisor } = watched();
    live.push(supervisor);
    const { runId } = await supervisor.launch(dir, { stopAfterStep: 300 });
    await supervisor.waitForExit(runId);
    const metrics = await readFile(join(dir, 'metrics.jsonl'));
    metrics[metrics.length >> 1] ^= 0x40;
    await writeFile(join(dir, 'metrics.jsonl'), metrics);
    const record = await readFile(join(dir, 'run.json'));
    await writeFile(join(dir, 'run.json'), record.subarray(0, 100));

    const resumed = await runCli(['train', '--resume', '--out', dir, '--every', '100000']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(resumed.out)).toMatchObject({ status: 'completed', lastStep: 600 });
    expect(count(resumed.err, /metrics\.jsonl: dropped \d+ damaged line/)).toBe(1);
    expect(count(resumed.err, /run\.json is damaged: not JSON .*: rebuilt from config\.json and the checkpoint of step 300/)).toBe(1);
    const files = await inspectRunFiles(dir);
    expect([files.outOfOrder, files.damaged, files.unreadable.length]).toEqual([0, 0, 0]);
    expect(files.steps.length).toBeGreaterThanOrEqual(598); // the damaged line's record (or two merged ones) is gone
    expect(files.steps[files.steps.length - 1]).toBe(600);

    await writeFile(join(dir, 'run.json'), '');
    const exported = await runCli(['export', '--run', dir, '--out', join(ws, 'model.onnx')]);
    expect(exported.code, exported.err).toBe(0);
    expect(count(exported.err, /^warning: .*run\.json is damaged: not JSON .*: rebuilt from config\.json and the checkpoint of step 600/)).toBe(1);
  }, 60_000);
});

describe('sampling faults', () => {
  const mlp = buildMlp({ dataDim: 2, hidden: [32, 32], timeEmbedding: { kind: 'raw' } });
  const weights = initParams(mlp.layout, new Rng(5));
  const meta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null } as const;
  const model = async (ws: string, name: string, w: Float32Array): Promise<string> => {
    const path = join(ws, name);
    await writeFile(path, writeOnnx(mlp.graph, w, { metadata: studioMetadata(meta) }));
    return path;
  };

  it('refuses the non-finite or overflowing samples of damaged models, naming the step (41 damaged models)', async () => {
    const ws = await tempWorkspace();
    const service = new SamplingService(null, createInProcessRunner({ threads: 1 }));
    const rng = new Rng(41);
    let refused = 0;
    let accepted = 0;
    try {
      const good = Buffer.from(writeOnnx(mlp.graph, weights, { metadata: studioMetadata(meta) }));
      for (let k = 0; k < 41; k++) {
        // damage as a flipped byte in the file does it: the high byte of a few stored weights becomes an exponent near the top of the range
        const file = Buffer.from(good);
        for (let j = 0; j < 1 + rng.int(3); j++) {
          const i = rng.int(weights.length - 1);
          const at = file.indexOf(Buffer.from(weights.buffer, 4 * i, 8));
          expect(at).toBeGreaterThan(0);
          file[at + 3] = [0x7f, 0x7e, 0xff, 0x79][rng.int(4)];
        }
        const path = join(ws, `damaged-${k}.onnx`);
        await writeFile(path, file);
        const r = await service.run({ model: { kind: 'onnx', path }, sampler: 'heun', steps: 20, n: 200 }).catch((e: unknown) => e);
        if (r instanceof Error) {
          expect(r).toMatchObject({ code: 'not-finite', message: expect.stringMatching(/became non-finite at step \d+ of 20 \(t = [\d.]+\)/) });
          refused++;
        } else {
          expect((r as { samples: Float32Array }).samples.every((v) => Number.isFinite(v) && Math.abs(v) < 2 ** 64)).toBe(true);
          accepted++;
        }
      }
    } finally {
      await service.close();
    }
    console.log(`[figure] damaged models: 41 sampled, ${refused} refused naming the step, ${accepted} gave finite samples, 0 returned non-finite or overflowing values`);
    expect(refused).toBeGreaterThan(0);
  });

  it.runIf(have(built(SAMPLING_WORKER)))(`SIGKILL of the sampling process mid-request fails that request with the reason, the next starts a new process (${SAMPLING_KILLS} trials)`, async () => {
    const ws = await tempWorkspace();
    const path = await model(ws, 'model.onnx', weights);
    const runner = createChildProcessRunner({ workerPath: SAMPLING_WORKER, threads: 1 });
    const service = new SamplingService(null, runner);
    const rng = new Rng(7);
    const detections: number[] = [];
    const pids = new Set<number>();
    try {
      for (let trial = 0; trial < SAMPLING_KILLS; trial++) {
        const killStep = 1 + rng.int(40);
        let killedAt = 0;
        const failed = await service.run({ model: { kind: 'onnx', path }, sampler: 'euler', steps: 20_000, n: 512 }, (info) => {
          if (info.step !== killStep || killedAt > 0) return;
          const pid = runner.processId?.();
          pids.add(pid ?? -1);
          killedAt = performance.now();
          signalProcess(pid, 'SIGKILL');
        }).then(() => null, (e: unknown) => e);
        detections.push(performance.now() - killedAt);
        expect(failed).toBeInstanceOf(Error);
        expect((failed as Error).message).toMatch(/^ONNX Runtime's sampling process was killed \(SIGKILL\); the next request starts a new one$/);
        const next = await service.run({ model: { kind: 'onnx', path }, sampler: 'heun', steps: 4, n: 64 });
        expect(next.samples.every(Number.isFinite)).toBe(true);
      }
    } finally {
      await service.close();
    }
    expect(pids.size).toBe(SAMPLING_KILLS); // each request after a kill ran in a new process
    const d = medianMax(detections);
    console.log(`[figure] sampling process SIGKILL mid-request: ${SAMPLING_KILLS} trials, the request failed with the reason in median ${d.median.toFixed(0)} ms, max ${d.max.toFixed(0)} ms; the next request succeeded in a new process every time`);
    expect(d.max).toBeLessThan(1000);
  }, timeoutFor(SAMPLING_KILLS, 3_000));
});
