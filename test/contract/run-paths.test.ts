// Paths in calls: only the command line's host takes a run folder or an export file anywhere on disk; over a WebSocket the same calls are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDirectClient } from '../../src-core/api/direct-client';
import type { StudioApi } from '../../src-core/api/studio-api';
import { apiUrl, connectWebSocket } from '../../src-core/api/ws-client';
import { StudioError } from '../../src-core/errors';
import type { TrainingConfigInput } from '../../src-core/training/config';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { startServer } from '../../src-main/server/ws-server';
import { makeRun, tempDir } from '../sampling/fixtures';
import { nodeSocket } from './transports';

const config: TrainingConfigInput = { data: { source: 'builtin', id: 'eight-gaussians', params: { count: 128 } }, model: { family: 'mlp', hidden: [16] }, steps: 10 };

/** The StudioError a call rejects with. */
async function refusal(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

let run: { dir: string; id: string };
const outside = tempDir('studio-outside-');
const workspace = tempDir('studio-paths-');
let server: Awaited<ReturnType<typeof startServer>>;
let served: StudioHost;
let socket: StudioApi & { close(): void };

beforeAll(async () => {
  run = await makeRun(config, 10);
  served = createStudioHost({ workspace, version: '0.0.0-test', host: 'server' });
  server = await startServer(served, { port: 0 });
  socket = await connectWebSocket(apiUrl(server.origin, server.token), nodeSocket);
});
afterAll(async () => {
  socket?.close();
  await server?.close();
  await served?.close();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('a folder named in a call', () => {
  it('is refused over the WebSocket, beside its field, and nothing is written there', async () => {
    for (const [call, field] of [
      [socket.call('training.open', { dir: run.dir }), 'dir'],
      [socket.call('training.start', { config, dir: join(outside, 'new-run') }), 'dir'],
      [socket.call('models.exportFile', { runId: run.id, path: join(outside, 'model.onnx') }), 'path'],
      [socket.call('models.exportWebFolder', { runId: run.id, path: join(outside, 'page') }), 'path'],
    ] as const) {
      const err = await refusal(call);
      expect(err.code).toBe('invalid-argument');
      expect(err.details).toEqual([{ path: [field], message: expect.stringMatching(/only from the command line/) }]);
    }
    expect(readdirSync(outside)).toEqual([]);
    // the run is no run of this workspace: by id it is not found either
    expect((await refusal(socket.call('models.export', { runId: run.id, name: 'x' }))).code).toBe('not-found');
    expect((await refusal(socket.call('models.exportWeb', { runId: run.id, name: 'x' }))).code).toBe('not-found');
  });

  it('is taken from the command line host: the run opens by path and exports to a file anywhere', async () => {
    const cli = createStudioHost({ workspace: tempDir('studio-cli-ws-'), version: '0.0.0-test', host: 'direct', pathsAnywhere: true, training: { recover: false } });
    try {
      const api = createDirectClient(cli.dispatch, cli.events);
      const opened = await api.call('training.open', { dir: run.dir });
      expect(opened.run).toMatchObject({ id: run.id, lastStep: 0, active: false });
      const path = join(outside, 'model.onnx');
      const exported = await api.call('models.exportFile', { runId: run.id, path });
      expect(exported).toMatchObject({ path, step: 10, meta: { runId: run.id, dataShape: [2] } });
      expect(existsSync(path)).toBe(true);
      // the run's own folder gets nothing from an export elsewhere
      expect(existsSync(join(run.dir, 'exports'))).toBe(false);
    } finally {
      await cli.close();
    }
  });
});
