// The three transports of the API, each set up over a fresh host and temp workspace for the contract suite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createDirectClient } from '../../src-core/api/direct-client';
import { createBridgeClient } from '../../src-core/api/bridge';
import type { StudioApi } from '../../src-core/api/studio-api';
import { apiUrl, connectWebSocket, type SocketLike } from '../../src-core/api/ws-client';
import { createStudioHost, type StudioHost } from '../../src-main/services/studio-host';
import { startServer } from '../../src-main/server/ws-server';
import { registerIpc } from '../../src-main/electron/ipc';
import { createBridge } from '../../src-preload/bridge';
import { FakeIpc } from './fake-ipc';

/** A connected API over one transport, with its host and a cleanup. */
export interface Connection {
  api: StudioApi;
  studio: StudioHost;
  workspace: string;
  close(): Promise<void>;
}

async function freshHost(host: 'direct' | 'server' | 'electron'): Promise<{ studio: StudioHost; workspace: string }> {
  const workspace = await mkdtemp(join(tmpdir(), 'studio-contract-'));
  return { studio: createStudioHost({ workspace, version: '0.0.0-test', host }), workspace };
}

/** Opens a ws client in Node (the browser's WebSocket has the same shape). */
export const nodeSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;

/** Every transport by name. */
export const TRANSPORTS: Record<string, () => Promise<Connection>> = {
  async direct() {
    const { studio, workspace } = await freshHost('direct');
    return { api: createDirectClient(studio.dispatch, studio.events), studio, workspace, close: () => rm(workspace, { recursive: true, force: true }) };
  },
  async websocket() {
    const { studio, workspace } = await freshHost('server');
    const server = await startServer(studio, { port: 0 });
    const api = await connectWebSocket(apiUrl(server.origin, server.token), nodeSocket);
    return {
      api,
      studio,
      workspace,
      close: async () => {
        api.close();
        await server.close();
        await rm(workspace, { recursive: true, force: true });
      },
    };
  },
  async ipc() {
    const { studio, workspace } = await freshHost('electron');
    const ipc = new FakeIpc('studio://app/index.html');
    const undo = registerIpc(ipc.main, studio, ipc.webContents, (url, isMainFrame) => isMainFrame && url === 'studio://app/index.html');
    const api = createBridgeClient(createBridge(ipc.renderer));
    return {
      api,
      studio,
      workspace,
      close: async () => {
        undo();
        await rm(workspace, { recursive: true, force: true });
      },
    };
  },
};
