// Closing the studio (app quit, server stop, workspace switch) checkpoints and pauses every run that is training.
import { describe, expect, it } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import { createStudioHost } from '../../src-main/services/studio-host';
import { readLatestCheckpoint, readRunRecord, runDir } from '../../src-main/runs';
import { requireWorker, smallConfig, tempWorkspace, until, WORKER } from './helpers';

describe('studio host close', () => {
  it('pauses a training run with a checkpoint at the step it reached, and it resumes from there', async () => {
    requireWorker();
    const workspace = await tempWorkspace();
    const host = createStudioHost({ workspace, version: 't', host: 'direct', training: { workerPath: WORKER, autoRestart: false } });
    const api = createDirectClient(host.dispatch, host.events);
    let step = 0;
    api.on('training.progress', (p) => (step = Math.max(step, p.step)));
    const { runId } = await api.call('training.start', { config: smallConfig({ steps: 1_000_000, checkpointEvery: 1_000_000 }) });
    await until(() => step >= 50, 30_000, 'training progress');
    await host.close();
    const dir = runDir(workspace, runId);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('paused');
    const latest = await readLatestCheckpoint(dir);
    // no periodic checkpoint falls in this window: the one found was written by the close itself
    expect(latest?.checkpoint.step).toBeGreaterThanOrEqual(50);
    expect(latest?.checkpoint.step).toBe(record.lastStep);

    const again = createStudioHost({ workspace, version: 't', host: 'direct', training: { workerPath: WORKER, autoRestart: false } });
    const api2 = createDirectClient(again.dispatch, again.events);
    let resumedAt = -1;
    api2.on('training.progress', (p) => {
      if (resumedAt < 0) resumedAt = p.step;
    });
    await api2.call('training.resume', { runId });
    await until(() => resumedAt >= 0, 30_000, 'resumed progress');
    expect(resumedAt).toBeGreaterThan(record.lastStep);
    await again.close();
  });
});
