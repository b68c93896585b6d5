// The lifecycle model: which runs exist in which workspace, their status and newest checkpoint; fast-check commands that act on the real studio and check it against the model and the files on disk.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { RunSummary } from '../../src-core/api/methods/training';
import { isDescendant, signalProcess } from '../../src-main/process';
import { readLatestCheckpoint, readRunRecord, runDir } from '../../src-main/runs';
import { smallConfig } from '../training/helpers';
import { inspectRunFiles } from './run-checks';
import { waitFor, type World } from './lifecycle-world';

/** Steps of a run, and its checkpoint interval: a resume may lose at most this many steps. */
const STEPS = 5000;
export const EVERY = 100;
/** At most this many runs per workspace, and this many training at once (the machine has 2 cores). */
const MAX_RUNS = 4;
const MAX_TRAINING = 2;
/** Crashes within 5 minutes that the supervisor restarts (the third is left to the person). */
const RESTARTS_ALLOWED = 2;

type Status = RunSummary['status'];

/** One run as the model knows it. */
interface ModelRun {
  readonly id: string;
  readonly workspace: number;
  status: Status;
  /** The newest checkpoint step known to be on disk (0: none yet). */
  checkpoint: number;
  /** True while a training process holds the run (training, or paused in place). */
  held: boolean;
  /** Crashes the open host's supervisor counted since the run's worker was last started by the person. */
  crashes: number;
  /** Paths of its finished exports. */
  readonly exports: string[];
}

/** What the model holds: the open workspace and every run. */
interface Model {
  current: number;
  runs: ModelRun[];
}

/** A fresh model: workspace 0 open, no runs. */
export function newModel(): Model {
  return { current: 0, runs: [] };
}

type Cmd = fc.AsyncCommand<Model, World, boolean>;

const here = (m: Model) => m.runs.filter((r) => r.workspace === m.current);
const training = (m: Model) => here(m).filter((r) => r.status === 'running');
/** The pick-th run (modulo) of those that match. */
const choose = <T>(list: readonly T[], pick: number): T => list[pick % list.length];

function count(w: World, name: string): void {
  w.figures.commands++;
  w.figures.byCommand[name] = (w.figures.byCommand[name] ?? 0) + 1;
}

/** A run's summary from the list, which must have it. */
async function listed(w: World, id: string): Promise<RunSummary> {
  const s = await w.summary(id);
  if (!s) throw new Error(`run ${id} is missing from the list`);
  return s;
}

/** Waits until the run's worker is gone (a finished run keeps none). */
function workerGone(w: World, id: string): Promise<void> {
  return waitFor(async () => !(await listed(w, id)).active, `the worker of ${id} to end`, 10_000);
}

/** The run ended on its own while a command was on its way (a run trains in the background): the model follows. */
async function endedOnItsOwn(w: World, r: ModelRun): Promise<boolean> {
  const s = await listed(w, r.id);
  if (s.status !== 'completed') return false;
  await workerGone(w, r.id);
  r.status = 'completed';
  r.held = false;
  return true;
}

/** Starts a run (the first act of every sequence, and a command). */
export class Start implements Cmd {
  check = (m: Readonly<Model>) => here(m as Model).length < MAX_RUNS && training(m as Model).length < MAX_TRAINING;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'start');
    const { runId } = await w.api.call('training.start', { config: smallConfig({ steps: STEPS, checkpointEvery: EVERY }) });
    m.runs.push({ id: runId, workspace: m.current, status: 'running', checkpoint: 0, held: true, crashes: 0, exports: [] });
    await settle(m, w);
  }
  toString = () => 'start';
}

class Pause implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => training(m as Model).length > 0;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'pause');
    const r = choose(training(m), this.pick);
    const reached = w.progress.get(r.id) ?? 0;
    const before = w.statuses.length;
    try {
      await w.api.call('training.pause', { runId: r.id });
    } catch (err) {
      if (!(await endedOnItsOwn(w, r))) throw err;
      return settle(m, w);
    }
    await waitFor(() => ['paused', 'completed'].includes(w.lastStatus(r.id, before)?.run.status ?? ''), `${r.id} to pause`);
    const s = w.lastStatus(r.id, before)!.run;
    if (s.status === 'completed') await workerGone(w, r.id);
    else {
      // a pause checkpoints where the worker stands: nothing it reported before is lost
      expect(s.lastStep).toBeGreaterThanOrEqual(reached);
      expect((await readLatestCheckpoint(runDir(w.workspace, r.id)))?.checkpoint.step).toBe(s.lastStep);
    }
    r.status = s.status;
    r.held = s.status === 'paused';
    await settle(m, w);
  }
  toString = () => `pause(${this.pick})`;
}

class Resume implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => here(m as Model).some((r) => r.status === 'paused' || r.status === 'failed');
  async run(m: Model, w: World): Promise<void> {
    count(w, 'resume');
    const r = choose(here(m).filter((x) => x.status === 'paused' || x.status === 'failed'), this.pick);
    const before = w.statuses.length;
    const from = (await readRunRecord(runDir(w.workspace, r.id))).lastStep;
    await w.api.call('training.resume', { runId: r.id });
    await waitFor(() => ['running', 'completed'].includes(w.lastStatus(r.id, before)?.run.status ?? ''), `${r.id} to resume`);
    const first = w.statuses.slice(before).find((s) => s.run.id === r.id)!.run;
    // a paused run goes on from where it paused; a failed one from its newest checkpoint
    if (r.status === 'paused') expect(first.lastStep).toBe(from);
    else expect(first.lastStep).toBeGreaterThanOrEqual(r.checkpoint);
    if (!r.held) r.crashes = 0; // a worker the person started: the restart count starts afresh
    r.status = 'running';
    r.held = true;
    await endedOnItsOwn(w, r);
    await settle(m, w);
  }
  toString = () => `resume(${this.pick})`;
}

class Cancel implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => here(m as Model).some((r) => r.status === 'running' || r.status === 'paused' || r.status === 'failed');
  async run(m: Model, w: World): Promise<void> {
    count(w, 'cancel');
    const r = choose(here(m).filter((x) => x.status === 'running' || x.status === 'paused' || x.status === 'failed'), this.pick);
    await w.api.call('training.cancel', { runId: r.id });
    const s = await listed(w, r.id);
    expect(s.active).toBe(false);
    // a run that reached its end just before the cancel stays completed
    expect(r.status === 'running' ? ['cancelled', 'completed'] : ['cancelled']).toContain(s.status);
    r.status = s.status;
    r.held = false;
    await settle(m, w);
  }
  toString = () => `cancel(${this.pick})`;
}

/** Runs whose training process is up: training, or paused in place. */
const withWorker = (m: Model) => here(m).filter((r) => r.held);

class Kill implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => withWorker(m as Model).length > 0;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'kill');
    const r = choose(withWorker(m), this.pick);
    if (r.status === 'paused') return killPaused(m, w, r);
    const pid = w.host!.workerPid(r.id);
    if (pid === undefined || (await endedOnItsOwn(w, r))) {
      w.figures.killsRacedEnd++;
      await endedOnItsOwn(w, r);
      return settle(m, w);
    }
    const reached = w.progress.get(r.id) ?? 0;
    const before = w.statuses.length;
    const killedAt = performance.now();
    signalProcess(pid, 'SIGKILL');
    const report = () => w.statuses.slice(before).find((s) => s.run.id === r.id && /was killed \(SIGKILL\)/.test(s.message ?? ''));
    await waitFor(async () => report() !== undefined || (await listed(w, r.id)).status === 'completed', `the report of the kill of ${r.id}`, 10_000);
    const seen = report();
    if (!seen) {
      // the worker had finished and was on its way out: no death
      w.figures.killsRacedEnd++;
      await endedOnItsOwn(w, r);
      return settle(m, w);
    }
    w.figures.detections.push(seen.at - killedAt);
    expect(seen.at - killedAt).toBeLessThan(1000);
    r.crashes++;
    if (r.crashes <= RESTARTS_ALLOWED) {
      // restarted from its newest checkpoint: at most one checkpoint interval behind what it had reported
      expect(seen.message).toMatch(/\(restarting it\)$/);
      const at = w.statuses.indexOf(seen);
      await waitFor(() => w.statuses.slice(at).some((s) => s.run.id === r.id && s.run.status === 'running'), `the restart of ${r.id}`);
      const from = w.statuses.slice(at).find((s) => s.run.id === r.id && s.run.status === 'running')!.run.lastStep;
      expect(from).toBeGreaterThanOrEqual(r.checkpoint);
      expect(reached - from).toBeLessThanOrEqual(EVERY);
      w.figures.lost.push(Math.max(0, reached - from));
      w.figures.restarts++;
      r.held = true;
      await endedOnItsOwn(w, r);
    } else {
      expect(seen.message).toMatch(/not restarted automatically: resume the run to try again$/);
      await workerGone(w, r.id);
      expect((await listed(w, r.id)).status).toBe('failed');
      w.figures.refusedRestarts++;
      r.status = 'failed';
      r.held = false;
    }
    await settle(m, w);
  }
  toString = () => `kill(${this.pick})`;
}

/**
 * A crash of a run paused in place: the person paused it, so it is not restarted and stays paused at the checkpoint the
 * pause wrote, ready to resume.
 */
async function killPaused(m: Model, w: World, r: ModelRun): Promise<void> {
  const pid = w.host!.workerPid(r.id)!;
  const before = w.statuses.length;
  const killedAt = performance.now();
  signalProcess(pid, 'SIGKILL');
  const report = () => w.statuses.slice(before).find((s) => s.run.id === r.id && /was killed \(SIGKILL\)/.test(s.message ?? ''));
  await waitFor(() => report() !== undefined, `the report of the kill of paused ${r.id}`, 10_000);
  w.figures.detections.push(report()!.at - killedAt);
  expect(report()!.at - killedAt).toBeLessThan(1000);
  await workerGone(w, r.id);
  const s = await listed(w, r.id);
  expect(s.status).toBe('paused');
  expect(s.lastStep).toBe(r.checkpoint);
  r.held = false;
  w.figures.pausedKills++;
  await settle(m, w);
}

class Export implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => here(m as Model).length > 0;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'export');
    const r = choose(here(m), this.pick);
    const dir = runDir(w.workspace, r.id);
    const had = await readLatestCheckpoint(dir);
    const name = `model-${r.exports.length + 1}`;
    const done = await w.api.call('models.export', { runId: r.id, name }).then((x) => x, (err: Error) => err);
    if (done instanceof Error) {
      // only a run without any checkpoint yet has nothing to export, and says so; no file is left behind
      expect(had).toBeNull();
      expect(done.message).toMatch(/checkpoint/);
      expect(await exportNames(dir)).toEqual(r.exports.map((p) => p.slice(p.lastIndexOf('/') + 1)));
      return settle(m, w);
    }
    // a run writes its step-0 checkpoint as its worker starts, so one seen without any may export step 0
    expect(done.step).toBeGreaterThanOrEqual(had?.checkpoint.step ?? 0);
    r.exports.push(done.path);
    // the file is there whole: it reads as a model in the studio's format, and nothing half-written sits beside it
    const { exports } = await w.api.call('models.list', { runId: r.id });
    expect(exports.find((e) => e.path === done.path)).toMatchObject({ kind: 'model', error: null, bytes: done.bytes });
    expect(await exportNames(dir)).toEqual(r.exports.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort());
    w.figures.exports++;
    await settle(m, w);
  }
  toString = () => `export(${this.pick})`;
}

/** The names in a run's exports folder, sorted (hidden temp files included, so a leftover shows). */
async function exportNames(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'exports')).catch(() => [] as string[])).sort();
}

class Sample implements Cmd {
  constructor(
    readonly pick: number,
    readonly fromFile: boolean,
  ) {}
  check = (m: Readonly<Model>) => here(m as Model).some((r) => r.checkpoint > 0 || r.exports.length > 0);
  async run(m: Model, w: World): Promise<void> {
    count(w, 'sample');
    const r = choose(here(m).filter((x) => x.checkpoint > 0 || x.exports.length > 0), this.pick);
    const model = this.fromFile && r.exports.length > 0 ? { kind: 'onnx' as const, path: r.exports[r.exports.length - 1] } : { kind: 'run' as const, runId: r.id };
    const out = await w.api.call('sampling.run', { model, sampler: 'heun', steps: 8, n: 64, seed: 1, grid: 'uniform', denoiseLast: false });
    expect(out.shape).toEqual([64, 2]);
    expect(out.samples.every((v) => Number.isFinite(v))).toBe(true);
    w.figures.samples++;
    await settle(m, w);
  }
  toString = () => `sample(${this.pick}, ${this.fromFile ? 'file' : 'run'})`;
}

class Delete implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => here(m as Model).length > 0;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'delete');
    const r = choose(here(m), this.pick);
    const pid = w.host!.workerPid(r.id);
    await w.api.call('training.delete', { runId: r.id });
    // gone at once: from the list, from the disk, announced; its worker (if it had one) ended
    expect((await w.list()).runs.map((x) => x.id)).not.toContain(r.id);
    expect(await readdir(runDir(w.workspace, r.id)).catch((err: NodeJS.ErrnoException) => err.code)).toBe('ENOENT');
    expect(w.deleted).toContain(r.id);
    expect(w.host!.workerPid(r.id)).toBeUndefined();
    if (pid !== undefined) expect(isDescendant(pid)).toBe(false);
    m.runs.splice(m.runs.indexOf(r), 1);
    w.figures.deletes++;
    await settle(m, w);
  }
  toString = () => `delete(${this.pick})`;
}

/** A delete that lands while an export or a sampling of the same run is under way: either may fail, nothing of the run may stay. */
class DeleteDuring implements Cmd {
  constructor(
    readonly pick: number,
    readonly during: 'export' | 'sample',
    /** ms between the start of the export or sampling and the delete: the window where it writes is a few ms wide. */
    readonly delay: number,
  ) {}
  check = (m: Readonly<Model>) => here(m as Model).some((r) => r.checkpoint > 0);
  async run(m: Model, w: World): Promise<void> {
    count(w, `delete during ${this.during}`);
    const r = choose(here(m).filter((x) => x.checkpoint > 0), this.pick);
    const work =
      this.during === 'export'
        ? w.api.call('models.export', { runId: r.id, name: 'racing' })
        : w.api.call('sampling.run', { model: { kind: 'run', runId: r.id }, sampler: 'euler', steps: 4, n: 16, seed: 2, grid: 'uniform', denoiseLast: false });
    const outcome = work.then(() => 'done', (err: Error) => err.message);
    await new Promise((resolve) => setTimeout(resolve, this.delay));
    await w.api.call('training.delete', { runId: r.id });
    await outcome;
    expect(await readdir(runDir(w.workspace, r.id)).catch((err: NodeJS.ErrnoException) => err.code)).toBe('ENOENT');
    m.runs.splice(m.runs.indexOf(r), 1);
    w.figures.deletes++;
    await settle(m, w);
  }
  toString = () => `deleteDuring(${this.pick}, ${this.during}, ${this.delay} ms)`;
}

class SwitchWorkspace implements Cmd {
  constructor(readonly to: number) {}
  check = () => true;
  async run(m: Model, w: World): Promise<void> {
    count(w, 'switch');
    const pids = here(m).map((r) => w.host!.workerPid(r.id)).filter((p): p is number => p !== undefined);
    await w.close();
    // closing the host checkpointed and stopped every worker: a training run is paused where it stood
    for (const pid of pids) expect(isDescendant(pid)).toBe(false);
    for (const r of here(m)) {
      const record = await readRunRecord(runDir(w.workspace, r.id));
      if (r.status === 'running') expect(['paused', 'completed']).toContain(record.status);
      else expect(record.status).toBe(r.status === 'paused' ? 'paused' : r.status);
      r.status = record.status;
      r.held = false;
    }
    w.open(this.to);
    m.current = this.to;
    for (const r of here(m)) r.crashes = 0; // a new host, a new restart count
    w.figures.switches++;
    await settle(m, w);
  }
  toString = () => `switch(${this.to})`;
}

/** Every command, the start weighted up so sequences have runs to act on. */
export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const pick = fc.nat(7);
  return [
    fc.constant(new Start()),
    fc.constant(new Start()),
    pick.map((p) => new Pause(p)),
    pick.map((p) => new Resume(p)),
    pick.map((p) => new Cancel(p)),
    pick.map((p) => new Kill(p)),
    pick.map((p) => new Kill(p)),
    pick.map((p) => new Export(p)),
    fc.tuple(pick, fc.boolean()).map(([p, f]) => new Sample(p, f)),
    pick.map((p) => new Delete(p)),
    fc.tuple(pick, fc.constantFrom('export' as const, 'sample' as const), fc.nat(12)).map(([p, d, ms]) => new DeleteDuring(p, d, ms)),

    fc.integer({ min: 0, max: 1 }).map((to) => new SwitchWorkspace(to)),
  ];
}

/**
 * The invariants, checked after every command: the API's list agrees with the model (a run ending on its own is the
 * one change allowed in the background), every file of every run reads, metrics steps run 1, 2, 3... without gap or
 * duplicate, checkpoints never go back, a run at rest records the step of its newest checkpoint, the newest status
 * event agrees with the list, and nothing hidden or half-made is listed or left in runs/.
 */
async function settle(m: Model, w: World): Promise<void> {
  const mine = here(m);
  const { runs, unreadable } = await w.list();
  expect(unreadable).toEqual([]);
  expect(runs.map((r) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
  expect(await w.hiddenLeftovers(w.workspace)).toEqual([]);
  for (const r of mine) {
    const s = runs.find((x) => x.id === r.id)!;
    if (r.status === 'running' && s.status === 'completed') await endedOnItsOwn(w, r);
    else expect(s.status, `status of ${r.id}`).toBe(r.status);
    if (r.status !== 'running' && !r.held) await workerGone(w, r.id);
    if (r.status === 'running' || r.held) expect((await listed(w, r.id)).active, `${r.id} has its worker`).toBe(true);
    const dir = runDir(w.workspace, r.id);
    const latest = (await readLatestCheckpoint(dir))?.checkpoint.step ?? 0;
    const files = await inspectRunFiles(dir);
    expect(files.unreadable).toEqual([]);
    expect([files.damaged, files.outOfOrder]).toEqual([0, 0]);
    expect(files.steps.every((step, i) => step === i + 1), `metrics steps of ${r.id} run 1, 2, 3...`).toBe(true);
    expect(latest).toBeGreaterThanOrEqual(r.checkpoint);
    expect(files.steps.length).toBeGreaterThanOrEqual(latest);
    r.checkpoint = latest;
    const now = await listed(w, r.id);
    if (!now.active && (now.status === 'paused' || now.status === 'completed' || now.status === 'cancelled')) expect(now.lastStep, `${r.id} at rest`).toBe(latest);
    if (now.status === 'completed') expect(latest).toBe(STEPS);
    // the newest event about the run says what the list says (events may trail the file by a moment)
    if (w.lastStatus(r.id)) await waitFor(async () => w.lastStatus(r.id)!.run.status === (await listed(w, r.id)).status, `the newest status event of ${r.id} to agree with the list`, 3_000);
    w.figures.runFoldersChecked++;
    w.figures.checkpointsRead += files.checkpoints;
  }
  w.figures.invariantChecks++;
}
