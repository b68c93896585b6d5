// Carries the API over Electron IPC: calls only from the studio's own page, events to its window.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../src-core/api/ipc-channels';
import type { Reply } from '../../src-core/api/contract';
import type { StudioHost } from '../services/studio-host';
import { isStudioUrl } from './studio-url';

/** Decides whether a frame may call the API (the studio's own top-level page). */
type SenderCheck = (frameUrl: string | undefined, isMainFrame: boolean) => boolean;

/** The studio's rule: the top frame of a page whose origin is exactly the studio's. */
export function studioTopFrame(origin: string): SenderCheck {
  return (frameUrl, isMainFrame) => isMainFrame && isStudioUrl(frameUrl, origin);
}

/** Registers the call handler and forwards events to the window; returns the function that undoes both. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  studio: StudioHost,
  target: Pick<WebContents, 'send' | 'isDestroyed'>,
  trusted: SenderCheck,
): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<Reply> => {
    const frame = event.senderFrame;
    if (!trusted(frame?.url, frame !== null && frame !== undefined && frame === frame.top)) {
      return { ok: false, error: { code: 'invalid-message', message: 'calls are accepted only from the studio page' } };
    }
    return studio.dispatch(method, params);
  });
  const unsubscribe = studio.events.onAny((event, payload) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT, event, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
