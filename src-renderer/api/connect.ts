// Opens the studio's API: the preload bridge in Electron, else a WebSocket to the server that served this page.
import { createBridgeClient } from '../../src-core/api/bridge';
import type { StudioApi } from '../../src-core/api/studio-api';
import { apiUrl, connectWebSocket, type SocketLike } from '../../src-core/api/ws-client';

/** An open API plus, for a socket, a promise that settles with the reason it closed. */
export interface Connection {
  readonly api: StudioApi;
  readonly transport: 'electron' | 'websocket';
  /** Resolves with a description when the connection drops; never resolves for the Electron bridge. */
  readonly lost: Promise<string>;
}

/** Thrown when the page has no token to connect with. */
class MissingTokenError extends Error {
  constructor() {
    super('This page was opened without its access token, so it cannot reach the studio.');
    this.name = 'MissingTokenError';
  }
}

const TOKEN_KEY = 'studio.token';

/**
 * Takes the token from `?token=` (keeping it in sessionStorage so a reload still works),
 * removes it from the address bar, and returns it; null if there is none.
 */
function takeToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/** Connects with whatever this page runs in; rejects with a message meant for a person. */
export async function openConnection(): Promise<Connection> {
  if (window.studio) {
    return { api: createBridgeClient(window.studio), transport: 'electron', lost: new Promise<string>(() => {}) };
  }
  const token = takeToken(window.location, window.history, window.sessionStorage);
  if (!token) throw new MissingTokenError();
  // The browser's WebSocket fits SocketLike at run time; its handler types (ev: Event) are only narrower on paper.
  const socket = await connectWebSocket(apiUrl(window.location.origin, token), (url) => new WebSocket(url) as unknown as SocketLike);
  const lost = socket.closed.then(({ code }) => `The connection to the studio closed (code ${code}).`);
  return { api: socket, transport: 'websocket', lost };
}
