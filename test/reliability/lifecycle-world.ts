// The real side of the lifecycle model test: studio hosts over two workspaces, what their events said, and the figures the test prints.
import { readdir, rm } from 'node:fs/promises';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { RunSummary } from '../../src-core/api/methods/training';
import type { StudioApi } from '../../src-core/api/studio-api';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { runsRoot } from '../../src-main/runs';
import { WORKER, tempWorkspace } from '../training/helpers';

/** One status event as the test saw it. */
interface SeenStatus {
  readonly at: number;
  readonly run: RunSummary;
  readonly message: string | null;
}

/** What the test counts and times, printed at the end. */
interface Figures {
  sequences: number;
  commands: number;
  byCommand: Record<string, number>;
  /** ms from SIGKILL to the host's report of the death. */
  detections: number[];
  /** Automatic restarts after a kill, and kills the restart policy answered by asking the person. */
  restarts: number;
  refusedRestarts: number;
  /** Steps between the last progress before a kill and the step the restart continued from. */
  lost: number[];
  /** Kills that came as the run ended on its own (no death to detect). */
  killsRacedEnd: number;
  /** Kills of a worker holding a paused run. */
  pausedKills: number;
  invariantChecks: number;
  runFoldersChecked: number;
  checkpointsRead: number;
  exports: number;
  samples: number;
  deletes: number;
  switches: number;
}

/** Fresh figures. */
export function newFigures(): Figures {
  return {
    sequences: 0, commands: 0, byCommand: {}, detections: [], restarts: 0, refusedRestarts: 0, lost: [], killsRacedEnd: 0, pausedKills: 0,
    invariantChecks: 0, runFoldersChecked: 0, checkpointsRead: 0, exports: 0, samples: 0, deletes: 0, switches: 0,
  };
}

/** Worker settings of the test: progress often (the kill trials compare steps), no previews. */
const SETTINGS = { previewIntervalMs: 0, progressIntervalMs: 10 } as const;

/** The studio as a user has it: one host open on one of two workspaces, and every event it sent since it opened. */
export class World {
  host: StudioHost | null = null;
  api!: StudioApi;
  /** Index into workspaces of the open host. */
  current = 0;
  statuses: SeenStatus[] = [];
  /** The step each run's worker reported last (a worker restarted from a checkpoint reports from there on). */
  readonly progress = new Map<string, number>();
  deleted: string[] = [];

  private constructor(
    readonly workspaces: readonly string[],
    readonly figures: Figures,
  ) {}

  /** Two fresh workspaces with a host open on the first. */
  static async create(figures: Figures): Promise<World> {
    const world = new World([await tempWorkspace(), await tempWorkspace()], figures);
    world.open(0);
    return world;
  }

  /** Opens a host on workspace i, as the desktop app's workspace menu does, and follows its events. */
  open(i: number): void {
    if (this.host) throw new Error('a host is open already');
    this.current = i;
    this.host = createStudioHost({ workspace: this.workspaces[i], version: 'lifecycle', host: 'direct', training: { workerPath: WORKER, settings: SETTINGS } });
    this.api = createDirectClient(this.host.dispatch, this.host.events);
    this.statuses = [];
    this.progress.clear();
    this.deleted = [];
    this.api.on('training.status', (p) => this.statuses.push({ at: performance.now(), run: p.run, message: p.message }));
    this.api.on('training.progress', (p) => this.progress.set(p.runId, p.step));
    this.api.on('training.deleted', (p) => this.deleted.push(p.runId));
  }

  /** Closes the open host (its runs checkpoint and stop). */
  async close(): Promise<void> {
    const host = this.host;
    this.host = null;
    await host?.close();
  }

  get workspace(): string {
    return this.workspaces[this.current];
  }

  /** The newest status event of a run, or null. */
  lastStatus(runId: string, since = 0): SeenStatus | null {
    for (let i = this.statuses.length - 1; i >= since; i--) if (this.statuses[i].run.id === runId) return this.statuses[i];
    return null;
  }

  /** The run list as the API gives it now. */
  list(): Promise<{ runs: RunSummary[]; unreadable: { dir: string; error: string }[] }> {
    return this.api.call('training.list', {});
  }

  /** One run as the list gives it, or undefined. */
  async summary(runId: string): Promise<RunSummary | undefined> {
    return (await this.list()).runs.find((r) => r.id === runId);
  }

  /** Names in runs/ of a workspace that are not plain run ids (staging or deleting leftovers). */
  async hiddenLeftovers(workspace: string): Promise<string[]> {
    const names = await readdir(runsRoot(workspace)).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith('.'));
  }

  /** Closes the host and removes both workspaces. */
  async dispose(): Promise<void> {
    await this.close();
    await Promise.all(this.workspaces.map((w) => rm(w, { recursive: true, force: true })));
  }
}

/** Polls until the condition holds, or throws naming what did not happen. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
