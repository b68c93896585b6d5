// Renaming a run while its worker writes run.json: the name and every status update both survive, and lists follow.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { readRunRecord, runDir } from '../../src-main/runs';
import { TrainingService } from '../../src-main/training/training-service';
import { WORKER, requireWorker, smallConfig, tempWorkspace, until } from './helpers';

describe('training.rename', () => {
  it('renames a run mid-training without losing the status updates, announces it', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    const events = new EventHub();
    const statuses: { name: string; status: string }[] = [];
    events.on('training.status', (p) => statuses.push({ name: p.run.name, status: p.run.status }));
    const service = new TrainingService(ws, events, { workerPath: WORKER, autoRestart: false, settings: { progressIntervalMs: 10, previewIntervalMs: 0 } });
    try {
      const { runId } = await service.start(smallConfig({ steps: 3000, checkpointEvery: 100 }), 'first try');
      await until(() => statuses.some((s) => s.status === 'running'), 20_000, 'running');
      // renames, two at a time, all through the run: they interleave with the worker's checkpoint and status updates
      let i = 0;
      const renamer = async () => {
        while (service.supervisor.isActive(runId)) await service.rename(runId, `moons, take ${i++}`);
      };
      await Promise.all([renamer(), renamer()]);
      while (service.supervisor.isActive(runId)) await service.supervisor.waitForExit(runId);
      expect(i).toBeGreaterThan(20);
      const { run } = await service.rename(runId, 'moons, final');
      expect(run.name).toBe('moons, final');
      expect(run.describe).toMatchObject({ model: 'MLP 64×64', objective: 'velocity · linear' });
      expect(run.describe.data).toMatch(/^Eight Gaussians, [\d,]+ points$/i);
      const record = await readRunRecord(runDir(ws, runId));
      expect(record.name).toBe('moons, final');
      expect(record.status).toBe('completed');
      expect(record.lastStep).toBe(3000);
      await until(() => statuses.some((s) => s.name === 'moons, final'), 5000, 'the rename announced');
      expect((await service.list()).runs.map((r) => r.name)).toEqual(['moons, final']);
    } finally {
      await service.shutdown();
    }
  }, 60_000);
});
