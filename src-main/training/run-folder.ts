// Run folders: a run at a folder the caller names (the CLI's --out), where a run's saved data sets live, and how a host finds a run by id.
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import type { TrainingConfig } from '../../src-core/training/config';
import { RUN_ID } from '../../src-core/training/run-id';
import { createRun, loadRun, runDir, writeNewRun, type RunInfo, type RunRecord } from '../runs';
import { readJsonFile } from '../runs/fs-util';
import { syncDirectory, writeFileAtomic } from '../workspace/atomic-write';

/** The file of a run folder that names the workspace whose saved data sets the run trains on. */
export const DATA_WORKSPACE_FILE = 'data-workspace.json';

const dataWorkspaceSchema = z.strictObject({ workspace: z.string().min(1) });

/** True if the folder is missing or empty. */
async function isFreshFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/** A run id from the folder name where it is a valid id, else a fresh one. */
function idFor(dir: string): string {
  const name = basename(dir).toLowerCase();
  return RUN_ID.test(name) ? name : `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Creates config.json and run.json in dir (which must be missing or empty) from a config validated where it entered; returns the status record. */
export async function createRunAt(dir: string, config: TrainingConfig, name?: string, id: string = idFor(resolve(dir))): Promise<RunRecord> {
  const folder = resolve(dir);
  if (!(await isFreshFolder(folder))) throw new StudioError('invalid-argument', `${folder} is not empty: pass --resume to continue the run in it, or choose a new folder`);
  await mkdir(folder, { recursive: true });
  await syncDirectory(dirname(folder));
  return writeNewRun(folder, id, config, name ?? basename(folder));
}

/** True if the run reads a data set saved in a workspace (as its data or its source). */
function usesSavedData(config: TrainingConfig): boolean {
  return config.data.source === 'workspace' || config.source?.source === 'workspace';
}

/** Records in a run folder the workspace its saved data sets live in, so the run can be resumed and exported wherever it sits. */
async function writeDataWorkspace(dir: string, workspace: string): Promise<void> {
  await writeFileAtomic(join(dir, DATA_WORKSPACE_FILE), `${JSON.stringify({ workspace: resolve(workspace) }, null, 2)}\n`, undefined, { within: dir });
}

/** The workspace a run folder records for its saved data sets, or null for a run that records none (built-in data, or made before runs recorded it). */
export async function readDataWorkspace(dir: string): Promise<string | null> {
  try {
    return (await readJsonFile(join(dir, DATA_WORKSPACE_FILE), dataWorkspaceSchema)).workspace;
  } catch (err) {
    if (err instanceof StudioError && err.code === 'not-found') return null;
    throw err;
  }
}

/**
 * Where a host finds its runs: <workspace>/runs/<id>, and run folders elsewhere on disk that it opened or created by
 * path. Only a host in the person's own shell (the command line) takes paths: over IPC or a WebSocket a folder named by
 * a caller could be any folder of the machine, so there a path is refused and runs are named by id alone.
 */
export class RunFolders {
  private readonly opened = new Map<string, string>();

  constructor(
    readonly workspace: string,
    /** Whether calls may name run folders by path (the command line's host only). */
    readonly pathsAnywhere = false,
  ) {}

  /** The folder of a run id: one opened by path, else <workspace>/runs/<id> (a string that is no run id is refused). */
  dirOf(id: string): string {
    return this.opened.get(id) ?? runDir(this.workspace, id);
  }

  /** A path a call named, made absolute; refused beside its field where this host takes no paths. */
  namedPath(path: string, field: string): string {
    if (!this.pathsAnywhere) {
      const message = 'runs are named by id here; a folder on disk is taken only from the command line';
      throw new StudioError('invalid-argument', `${field}: ${message}`, [{ path: [field], message }]);
    }
    return resolve(path);
  }

  /**
   * Creates a run in <workspace>/runs/ or, given a folder (missing or empty), there; a run on saved data sets records
   * which workspace holds them.
   */
  async create(config: TrainingConfig, name?: string, dir?: string): Promise<{ id: string; dir: string; record: RunRecord }> {
    let made: { id: string; dir: string; record: RunRecord };
    if (dir === undefined) made = await createRun(this.workspace, config, name);
    else {
      const folder = this.namedPath(dir, 'dir');
      const id = idFor(folder);
      this.checkFree(id, folder);
      made = { id, dir: folder, record: await createRunAt(folder, config, name, id) };
      this.remember(id, folder);
    }
    if (usesSavedData(config)) await writeDataWorkspace(made.dir, this.workspace);
    return made;
  }

  /** Opens a run folder by path, so that its id reaches it in the host's other methods; returns the run as loaded. */
  async open(dir: string): Promise<RunInfo> {
    const folder = this.namedPath(dir, 'dir');
    const run = await loadRun(folder);
    this.checkFree(run.id, folder);
    this.remember(run.id, folder);
    return run;
  }

  /** Refuses a folder whose run id already names another folder of this host (one id, one run). */
  private checkFree(id: string, folder: string): void {
    const inWorkspace = runDir(this.workspace, id);
    const other = this.opened.get(id) ?? (existsSync(inWorkspace) ? inWorkspace : undefined);
    if (other !== undefined && other !== folder) throw new StudioError('duplicate-name', `${folder} holds run '${id}', but ${other} holds a run of that id already`);
  }

  private remember(id: string, folder: string): void {
    if (folder !== runDir(this.workspace, id)) this.opened.set(id, folder);
  }
}
