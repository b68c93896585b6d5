// Builds the studio's services over one workspace and wires them to the contract's dispatcher.
import { platform } from 'node:os';
import { createDispatcher, type Dispatch } from '../../src-core/api/dispatcher';
import { EventHub } from '../../src-core/api/event-hub';
import type { Result } from '../../src-core/api/contract';
import { StudioError } from '../../src-core/errors';
import { DatasetsService, type DatasetsServiceOptions } from './datasets-service';
import { CatalogService } from '../catalog/catalog-service';
import { ExportService } from '../export/export-service';
import { WebExportService } from '../export/web-export-service';
import { ExportWriteGuard } from '../export/write-guard';
import { OpenQueue } from '../files/open-queue';
import { LabService, type LabServiceOptions } from '../lab/lab-service';
import { metricHandlers } from '../metrics/metrics-service';
import { SamplingService } from '../sampling/sampling-service';
import { RunFolders } from '../training/run-folder';
import { TrainingService, type TrainingServiceOptions } from '../training/training-service';

/** Where the studio runs: the Electron app, the headless server, or in-process (CLI, tests). */
type HostKind = Result<'app.info'>['host'];

/** The services of one studio instance, reachable through dispatch and events. */
export interface StudioHost {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly workspace: string;
  /** The pid of a run's training worker while one runs (fault tests signal it to stand for a crash). */
  workerPid(runId: string): number | undefined;
  /** Hands files to the page by path (relative ones against cwd); settles once they are checked and waiting for it. */
  openFiles(paths: readonly string[], cwd: string): Promise<void>;
  /** Stops the services: training runs checkpoint and pause, sampling processes end. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Creates the services for a workspace folder. pathsAnywhere lets calls name run folders and export files anywhere on
 * disk: only the command line sets it (the person's own shell); the app and the server never do, so a caller over IPC
 * or a WebSocket reaches runs by id in the workspace alone.
 */
export function createStudioHost(options: {
  workspace: string;
  version: string;
  host: HostKind;
  pathsAnywhere?: boolean;
  /** Told of each file on disk the studio opened by its path (a model to sample, data read), for a recent-files list. */
  openedPath?: (path: string) => void;
  /** Moves the studio to another workspace folder, resolving to it (app.changeWorkspace); hosts without it refuse. */
  changeWorkspace?: (path: string) => Promise<string>;
  training?: TrainingServiceOptions;
  lab?: LabServiceOptions;
  datasets?: DatasetsServiceOptions;
}): StudioHost {
  const events = new EventHub();
  const opened = new OpenQueue(events);
  const runs = new RunFolders(options.workspace, options.pathsAnywhere === true);
  const datasets = new DatasetsService(options.workspace, events, { ...options.datasets, openedPath: options.openedPath });
  const sampling = new SamplingService(events, undefined, (id) => runs.dirOf(id));
  const training = new TrainingService(options.workspace, events, { ...options.training, runs });
  const lab = new LabService(events, { workspace: options.workspace, ...options.lab });
  // one guard for both export services: a web page and a repository of one name are never written at once
  const exportWrites = new ExportWriteGuard();
  const exports = new ExportService(runs, exportWrites);
  const catalog = new CatalogService(options.workspace, { runs: () => training.list(), run: (id) => training.get(id), exports: (id) => exports.list(id), upload: (id) => datasets.stagedUpload(id), discardUpload: (id) => datasets.discardUpload(id), openedPath: options.openedPath });
  // Each domain contributes the handlers of its own methods; the dispatcher's type demands all of them.
  const dispatch = createDispatcher({
    'app.info': () => ({
      name: 'Diffusion Studio',
      version: options.version,
      host: options.host,
      platform: platform(),
      workspace: options.workspace,
    }),
    'app.changeWorkspace': async (p) => {
      if (!options.changeWorkspace) throw new StudioError('invalid-argument', options.host === 'electron' ? 'The desktop app changes its workspace from File > Change Workspace….' : 'This studio works in the folder it was started with; start it with another --workspace to change it.');
      return { workspace: await options.changeWorkspace(p.path) };
    },
    ...datasets.handlers(),
    ...sampling.handlers(),
    ...training.handlers(),
    ...exports.handlers(),
    ...new WebExportService(runs, exportWrites).handlers(),
    ...catalog.handlers(),
    ...lab.handlers(),
    ...metricHandlers(),
    'files.takeOpened': () => opened.take(),
  });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= Promise.allSettled([training.shutdown(), sampling.close(), lab.close(), datasets.close()]).then(() => undefined));
  return { dispatch, events, workspace: options.workspace, workerPid: (id) => training.supervisor.pid(id), openFiles: (paths, cwd) => opened.add(paths, cwd), close };
}
