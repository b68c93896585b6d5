// Builds window.studio from Electron's ipcRenderer: one call channel, one event channel, nothing else exposed.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type StudioBridge } from '../src-core/api/ipc-channels';
import type { Reply } from '../src-core/api/contract';

/** The bridge object; the renderer never sees ipcRenderer itself. */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): StudioBridge {
  return {
    invoke(method: string, params: unknown): Promise<Reply> {
      if (typeof method !== 'string') {
        return Promise.resolve({ ok: false, error: { code: 'invalid-message', message: 'method must be a string' } });
      }
      return ipc.invoke(IPC_CALL, method, params) as Promise<Reply>;
    },
    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
        if (name === event) listener(payload);
      };
      ipc.on(IPC_EVENT, handler);
      return () => {
        ipc.removeListener(IPC_EVENT, handler);
      };
    },
  };
}
