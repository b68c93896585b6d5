// The headless server: the renderer over HTTP and the API over a WebSocket that needs the per-start token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { callFrameSchema, MAX_FRAME_BYTES, WS_PATH } from '../../src-core/api/ws-protocol';
import { decodeWire, encodeWire } from '../../src-core/api/wire';
import type { StudioHost } from '../services/studio-host';
import { serveStatic } from './static-files';
import { parseOrThrow } from '../../src-core/validation';

/** A running server: its URL (with the token) and the means to stop it. */
export interface RunningServer {
  readonly origin: string;
  readonly token: string;
  /** The address to open in a browser, token included. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Beyond this many unsent bytes a client is too slow: events to it are dropped, replies still queue. */
const MAX_BUFFERED_EVENT_BYTES = 8 * 1024 * 1024;

/** Starts the server on host:port (port 0 picks a free one) serving rendererRoot if given. */
export async function startServer(
  studio: StudioHost,
  options: { host?: string; port?: number; rendererRoot?: string; token?: string; nextFreePort?: boolean },
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const http: Server = createServer((req, res) => {
    if (!options.rendererRoot) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('this server has no renderer; use the API at ' + WS_PATH);
      return;
    }
    serveStatic(options.rendererRoot, req, res).catch(() => res.writeHead(500).end());
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, token);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, studio));
  });

  await listen(http, host, options.port ?? 0, options.nextFreePort ?? false);
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    origin,
    token,
    port,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** Listens on port; with nextFreePort, a port in use moves on to the next ones, then to any free one. */
async function listen(http: Server, host: string, port: number, nextFreePort: boolean): Promise<void> {
  const candidates = nextFreePort && port !== 0 ? [...Array.from({ length: 10 }, (_, i) => port + i).filter((p) => p <= 65535), 0] : [port];
  for (const [i, candidate] of candidates.entries()) {
    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(candidate, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      if (i === candidates.length - 1) throw new Error(`port ${candidate} on ${host} is in use by another program: pass --port with another number (0 picks any free one)`);
    }
  }
}

/** Returns an HTTP status line to refuse the upgrade with, or null to accept it. */
function checkUpgrade(req: IncomingMessage, token: string): string | null {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname !== WS_PATH) return '404 Not Found';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return '401 Unauthorized';
  // A browser always sends Origin: only pages served by this very server may connect (no other site, no rebinding).
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return '403 Forbidden';
  return null;
}

function attach(ws: WebSocket, studio: StudioHost): void {
  const send = (frame: unknown, isEvent: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    if (isEvent && ws.bufferedAmount > MAX_BUFFERED_EVENT_BYTES) return;
    ws.send(encodeWire(frame));
  };
  const unsubscribe = studio.events.onAny((event, payload) => send({ event, payload }, true));
  ws.on('close', unsubscribe);
  // ws reports protocol violations (an oversized frame, bad UTF-8) as 'error' after closing with the
  // right code; unhandled, that event would take the whole server down.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ id: null, ok: false, error: { code: 'invalid-message', message: 'binary frames are not part of the API' } }, false);
      return;
    }
    let frame;
    try {
      frame = parseOrThrow(callFrameSchema, decodeWire(data.toString()), 'call', 'invalid-message');
    } catch (err) {
      send({ id: null, ok: false, error: { code: 'invalid-message', message: `malformed frame: ${(err as Error).message}` } }, false);
      return;
    }
    void studio.dispatch(frame.method, frame.params).then((reply) => send({ id: frame.id, ...reply }, false));
  });
}
