// The WebSocket binding of the API, for a browser (or Node with the ws package supplying the socket).
import { StudioError } from '../errors';
import { EVENTS, isEventName, type EventName } from './contract';
import { unwrapReply, type StudioApi } from './studio-api';
import { decodeWire, encodeWire } from './wire';
import { serverFrameSchema, WS_PATH } from './ws-protocol';

/** The part of the WebSocket interface the client needs (the browser's and ws's both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** A WebSocket constructor as browsers and ws provide it. */
type SocketFactory = (url: string) => SocketLike;

/** A connected API client plus the means to close it. */
export interface WsStudioApi extends StudioApi {
  close(): void;
  /** Resolves when the socket closes (for whatever reason). */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** The API endpoint URL for a server origin ('http://127.0.0.1:5174') and its token. */
export function apiUrl(origin: string, token: string): string {
  const u = new URL(WS_PATH, origin.replace(/^http/, 'ws'));
  u.searchParams.set('token', token);
  return u.toString();
}

/** Opens the socket and resolves once it is connected; rejects with a StudioError if it is refused. */
export function connectWebSocket(url: string, open: SocketFactory): Promise<WsStudioApi> {
  const socket = open(url);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));

  socket.onmessage = (ev) => {
    if (typeof ev.data !== 'string') return;
    let frame;
    try {
      frame = serverFrameSchema.parse(decodeWire(ev.data));
    } catch {
      return; // a frame we cannot read is dropped rather than crashing the page
    }
    if ('event' in frame) {
      if (!isEventName(frame.event)) return;
      const parsed = EVENTS[frame.event].safeParse(frame.payload);
      if (!parsed.success) return;
      for (const listener of listeners.get(frame.event) ?? []) listener(parsed.data);
      return;
    }
    if (frame.id === null) return;
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    try {
      waiter.resolve(unwrapReply(frame));
    } catch (err) {
      waiter.reject(err);
    }
  };

  const api: WsStudioApi = {
    call(method, params) {
      if (socket.readyState !== 1) return Promise.reject(new StudioError('internal', 'the connection to the studio is closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(encodeWire({ id, method, params }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    close() {
      socket.close(1000, 'client closed');
    },
    closed,
  };

  return new Promise((resolve, reject) => {
    let opened = false;
    socket.onopen = () => {
      opened = true;
      resolve(api);
    };
    socket.onerror = () => {
      if (!opened) reject(new StudioError('internal', `could not connect to ${url.replace(/token=[^&]+/, 'token=…')}`));
    };
    socket.onclose = (ev) => {
      for (const waiter of pending.values()) waiter.reject(new StudioError('internal', `connection closed (${ev.code})`));
      pending.clear();
      resolveClosed({ code: ev.code, reason: ev.reason });
      if (!opened) reject(new StudioError('internal', `connection refused (${ev.code})`));
    };
  });
}
