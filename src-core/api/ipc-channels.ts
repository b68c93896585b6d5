// The Electron IPC channels and the shape of window.studio; free of schemas so the preload stays tiny.
import type { Reply } from './contract';

/** Channel of API calls (renderer -> main, invoke/handle). */
export const IPC_CALL = 'studio:call';
/** Channel of API events (main -> renderer). */
export const IPC_EVENT = 'studio:event';

/**
 * What the preload puts on window.studio. Replies come back as envelopes, not thrown errors,
 * because contextBridge would strip a thrown error down to its message.
 */
export interface StudioBridge {
  invoke(method: string, params: unknown): Promise<Reply>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** Where a file the person picked or dropped lies on disk ('' when it has no path), so the studio reads it there instead of receiving it. */
  pathForFile?(file: Blob): string;
}
