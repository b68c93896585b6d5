// One API client's socket: its calls read in turn, limited in rate and number, and its unread replies and events bounded.
import type { WebSocket } from 'ws';
import { callFrameSchema } from '../../src-core/api/ws-protocol';
import { decodeWire, encodeWire } from '../../src-core/api/wire';
import { boundedErrorBody, type Dispatch, type ErrorBody } from '../../src-core/api/dispatcher';
import { safeParseStudio, detailsOf, describeDetails } from '../../src-core/validation';

/** What one connection may hold and do. */
export interface ConnectionLimits {
  /** Unsent bytes above which no further call of this client is read: its replies wait for it to read them. */
  readonly holdCallsAboveBytes: number;
  /** Unsent bytes a reply may not take the backlog past: such a client is not reading, and its connection is cut. */
  readonly closeAboveBytes: number;
  /** Unsent bytes above which events to this client are dropped (a later event carries the news). */
  readonly dropEventsAboveBytes: number;
  /** Calls answered at once; further frames wait unread. */
  readonly maxCallsInFlight: number;
  /** Frames, and bytes of frames, read but not yet taken in hand above which the socket stops reading. */
  readonly maxQueuedCalls: number;
  readonly maxQueuedBytes: number;
  /** Calls a client may make in one burst, and the rate the allowance refills at. */
  readonly burstCalls: number;
  readonly callsPerSecond: number;
}

/** The limits a served studio runs with: a page's bursts pass, a script's flood is told to slow down. */
export const DEFAULT_LIMITS: ConnectionLimits = {
  holdCallsAboveBytes: 8 * 1024 * 1024,
  closeAboveBytes: 64 * 1024 * 1024,
  dropEventsAboveBytes: 8 * 1024 * 1024,
  maxCallsInFlight: 32,
  maxQueuedCalls: 1000,
  maxQueuedBytes: 16 * 1024 * 1024,
  burstCalls: 400,
  callsPerSecond: 200,
};

/** A connected client as the server sees it. */
export interface Connection {
  /** Sends an event's text (encoded once for every client) unless this client is too far behind. */
  sendEvent(text: string): void;
}

/** A token bucket: take() is false once the burst is spent and until the rate refills it. */
function rateLimiter(burst: number, perSecond: number): { take(): boolean } {
  let tokens = burst;
  let last = performance.now();
  return {
    take() {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** The id a frame gives, when it gives a valid one, so even a refused call's promise is answered. */
function idOf(frame: unknown): number | null {
  const id = isRecord(frame) ? frame.id : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** Serves one socket: frames are queued and taken one per turn of the event loop, so no client holds the others up. */
export function serveConnection(ws: WebSocket, dispatch: Dispatch, limits: ConnectionLimits): Connection {
  const queue: { text: string | null; bytes: number }[] = [];
  let queuedBytes = 0;
  let inFlight = 0;
  let scheduled = false;
  let closed = false;
  const rate = rateLimiter(limits.burstCalls, limits.callsPerSecond);

  const busy = () => inFlight >= limits.maxCallsInFlight || ws.bufferedAmount > limits.holdCallsAboveBytes;

  // Reading stops only while too much waits, the client's further frames then wait in its own buffers; a client
  // that is merely slow to read is still read, so its close (or a cancel) is seen.
  const update = () => {
    if (closed) return;
    if (queue.length > 0 && !busy() && !scheduled) {
      scheduled = true;
      setImmediate(turn);
    }
    const hold = queuedBytes > limits.maxQueuedBytes || queue.length >= limits.maxQueuedCalls;
    if (hold && !ws.isPaused) ws.pause();
    else if (!hold && ws.isPaused) ws.resume();
  };

  const send = (text: string) => ws.send(text, () => update());

  const reply = (frame: { id: number | null; ok: true; result: unknown } | { id: number | null; ok: false; error: ErrorBody }) => {
    if (closed || ws.readyState !== ws.OPEN) return;
    const text = encodeWire(frame.ok ? frame : { ...frame, error: boundedErrorBody(frame.error) });
    if (ws.bufferedAmount + text.length > limits.closeAboveBytes) {
      // The client has left more unread than any page would: cut it off rather than hold its replies without end.
      ws.terminate();
      return;
    }
    send(text);
  };

  const refuse = (id: number | null, code: ErrorBody['code'], message: string, details?: ErrorBody['details']) =>
    reply({ id, ok: false, error: { code, message, ...(details?.length ? { details } : {}) } });

  const take = (text: string | null) => {
    const allowed = rate.take();
    if (text === null) return refuse(null, 'invalid-message', 'binary frames are not part of the API');
    let decoded: unknown;
    try {
      decoded = decodeWire(text);
    } catch (err) {
      return refuse(null, 'invalid-message', `malformed frame: ${(err as Error).message}`);
    }
    const id = idOf(decoded);
    if (!allowed) {
      return refuse(id, 'rate-limited', `too many calls: at most ${limits.callsPerSecond} a second (bursts of ${limits.burstCalls}); wait a moment and call again`);
    }
    // a bare typed array would reach the frame schema as an object of one key per byte
    if (!isRecord(decoded)) return refuse(id, 'invalid-message', 'malformed frame: a call is an object {id, method, params}');
    const parsed = safeParseStudio(callFrameSchema, decoded);
    if (!parsed.success) {
      const details = detailsOf(parsed.error);
      return refuse(id, 'invalid-message', `malformed frame: ${describeDetails(details)}`, details);
    }
    inFlight++;
    void dispatch(parsed.data.method, parsed.data.params).then((answer) => {
      inFlight--;
      reply({ id: parsed.data.id, ...answer });
      update();
    });
  };

  function turn() {
    scheduled = false;
    if (ws.readyState !== ws.OPEN) {
      // closing: nothing more can be answered
      queue.length = 0;
      queuedBytes = 0;
      return;
    }
    if (closed || busy()) return update();
    const next = queue.shift();
    if (next) {
      queuedBytes -= next.bytes;
      take(next.text);
    }
    update();
  }

  ws.on('message', (data, isBinary) => {
    if (closed) return;
    // binaryType is ws's default, 'nodebuffer': one Buffer per message, fragments joined
    const buffer = data as Buffer;
    queue.push({ text: isBinary ? null : buffer.toString(), bytes: buffer.byteLength });
    queuedBytes += buffer.byteLength;
    update();
  });
  ws.on('close', () => {
    closed = true;
    queue.length = 0;
    queuedBytes = 0;
  });
  // ws reports protocol violations (an oversized frame, bad UTF-8) as 'error' while it closes with the right
  // code (and cuts the socket after the close timeout); unhandled, that event would take the whole server down.
  ws.on('error', () => undefined);

  return {
    sendEvent(text) {
      if (closed || ws.readyState !== ws.OPEN || ws.bufferedAmount > limits.dropEventsAboveBytes) return;
      send(text);
    },
  };
}
