// Deleting a run through the training service: its worker stopped first, then its folder removed, then every list told.
import type { EventHub } from '../../src-core/api/event-hub';
import { deleteRunFolder } from '../runs/run-delete';
import { runDir } from '../runs';
import type { TrainingSupervisor } from './supervisor';

/**
 * Deletes a run, whatever its status. A run with a worker (training, or paused in place) has it stopped first: the
 * person confirmed the delete, and asking them to pause and wait first would only add steps before the same end.
 * Stopping, rather than killing, lets the supervisor finish its queued run.json writes before the worker is gone, and
 * a stopped run is never restarted, so nothing writes into the folder once it is renamed away. A folder that is not a
 * readable run (damaged files) is deleted as well: that is how a person gets rid of it.
 */
export async function deleteRun(workspace: string, supervisor: TrainingSupervisor, events: EventHub, id: string): Promise<void> {
  runDir(workspace, id); // refuses an id that is not one before anything stops
  while (supervisor.isActive(id)) await supervisor.stop(id);
  await deleteRunFolder(workspace, id);
  events.emit('training.deleted', { runId: id });
}
