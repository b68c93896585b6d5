// The command line's studio: a host over one workspace, built as the server builds it, reached through the API's direct client.
import { resolve } from 'node:path';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { createStudioHost } from '../services/studio-host';
import { readDataWorkspace } from '../training/run-folder';
import type { WorkerSettingsInput } from '../training/supervisor';
import { STUDIO_VERSION } from '../version';
import { defaultWorkspace } from '../workspace/default-workspace';

/** The API of a command's studio, the workspace it reads data sets from, and how to stop it. */
interface CliStudio {
  readonly api: StudioApi;
  readonly workspace: string;
  /** Stops the host: a training run checkpoints and pauses, sampling processes end. Safe to call twice. */
  close(): Promise<void>;
}

/** What a command's studio is opened over. */
interface CliStudioOptions {
  /** --workspace, when given: it wins over what a run folder records (a workspace that moved). */
  readonly workspace?: string;
  /** A run folder the command works on: its recorded workspace is used where --workspace is left out. */
  readonly runDir?: string;
  /** How training workers report (the command line wants no previews). */
  readonly trainingSettings?: WorkerSettingsInput;
}

/**
 * Opens the studio a command talks to. Its host takes paths (the person's own shell may name run folders and files
 * anywhere) and leaves the workspace's runs alone: the app may have that workspace open, and its runs are its own.
 */
export async function openStudio(options: CliStudioOptions = {}): Promise<CliStudio> {
  // a folder that is no run, or a damaged record, is named by the call that opens the run; here it only means no workspace
  const recorded = options.workspace === undefined && options.runDir !== undefined ? await readDataWorkspace(resolve(options.runDir)).catch(() => null) : null;
  const workspace = options.workspace !== undefined ? resolve(options.workspace) : (recorded ?? defaultWorkspace());
  const host = createStudioHost({
    workspace,
    version: STUDIO_VERSION,
    host: 'direct',
    pathsAnywhere: true,
    training: { recover: false, ...(options.trainingSettings ? { settings: options.trainingSettings } : {}) },
  });
  return { api: createDirectClient(host.dispatch, host.events), workspace, close: () => host.close() };
}
