// A run started as the page starts it (the studio host's training.start, previews on) and the same config trained by the `train` command compute alike.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { suggestedConfig } from '../../src-core/training/defaults';
import { readMetrics, readRunRecord, runDir } from '../../src-main/runs';
import { createStudioHost } from '../../src-main/services/studio-host';
import { WORKER, requireWorker, tempWorkspace, until } from './helpers';

const CLI = resolve('out/main/cli.js');

/** The Train form's proposal for 2-D points, on a small two-moons set and few steps. */
const CONFIG: TrainingConfigInput = {
  data: { source: 'builtin', id: 'two-moons', params: { count: 2000, seed: 0 } },
  ...suggestedConfig({ shape: [2], rows: 2000, classes: null }),
  steps: 120,
  checkpointEvery: 60,
};

/** What decides how a run computes: the backend and its device (thread count included), and every logged loss. */
async function traceOf(dir: string): Promise<{ backend: unknown; step: number[]; loss: number[] }> {
  const record = await readRunRecord(dir);
  const m = await readMetrics(dir);
  return { backend: record.backend, step: [...m.step], loss: [...m.loss] };
}

describe('where a run is started', () => {
  it('the host as the page uses it and the train command give the worker the same backend, threads and losses', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    try {
      // the page's way: training.start through the host the server wraps, with the service's own worker settings
      const host = createStudioHost({ workspace: ws, version: 't', host: 'server', training: { workerPath: WORKER, autoRestart: false } });
      let fromHost;
      try {
        const api = createDirectClient(host.dispatch, host.events);
        const finished = new Set<string>();
        api.on('training.status', (p) => {
          if (p.run.status === 'completed') finished.add(p.run.id);
        });
        const { runId } = await api.call('training.start', { config: CONFIG });
        await until(() => finished.has(runId), 60_000, 'the run started from the host to complete');
        // its last preview and metrics are written before the worker leaves
        while ((await api.call('training.get', { runId })).run.active) await new Promise((r) => setTimeout(r, 50));
        fromHost = await traceOf(runDir(ws, runId));
      } finally {
        await host.close();
      }

      // the command line's way
      const configPath = join(ws, 'config.json');
      await writeFile(configPath, JSON.stringify(CONFIG));
      const out = join(ws, 'cli-run');
      const child = spawn(process.execPath, [CLI, 'train', '--config', configPath, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code, stderr).toBe(0);
      const fromCli = await traceOf(out);

      expect(fromHost.step).toHaveLength(CONFIG.steps as number);
      expect(fromHost.backend).toEqual(fromCli.backend);
      expect(fromHost.step).toEqual(fromCli.step);
      expect(fromHost.loss).toEqual(fromCli.loss);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  }, 120_000);
});
