// Builds the studio's services over one workspace and wires them to the contract's dispatcher.
import { platform } from 'node:os';
import { createDispatcher, type Dispatch } from '../../src-core/api/dispatcher';
import { EventHub } from '../../src-core/api/event-hub';
import type { Result } from '../../src-core/api/contract';
import { DatasetsService } from './datasets-service';
import { SamplingService } from '../sampling/sampling-service';
import { TrainingService } from '../training/training-service';

/** Where the studio runs: the Electron app, the headless server, or in-process (CLI, tests). */
export type HostKind = Result<'app.info'>['host'];

/** The services of one studio instance, reachable through dispatch and events. */
export interface StudioHost {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly workspace: string;
}

/** Creates the services for a workspace folder. */
export function createStudioHost(options: { workspace: string; version: string; host: HostKind }): StudioHost {
  const events = new EventHub();
  const datasets = new DatasetsService(options.workspace, events);
  // Each domain contributes the handlers of its own methods; the dispatcher's type demands all of them.
  const dispatch = createDispatcher({
    'app.info': () => ({
      name: 'Diffusion Studio',
      version: options.version,
      host: options.host,
      platform: platform(),
      workspace: options.workspace,
    }),
    ...datasets.handlers(),
    ...new SamplingService(events).handlers(),
    ...new TrainingService(options.workspace, events).handlers(),
  });
  return { dispatch, events, workspace: options.workspace };
}
