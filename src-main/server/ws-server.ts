// The headless server: the renderer over HTTP and the API over a WebSocket that needs the per-start token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions } from 'ws';
import { MAX_FRAME_BYTES, WS_PATH } from '../../src-core/api/ws-protocol';
import { encodeWire } from '../../src-core/api/wire';
import type { StudioHost } from '../services/studio-host';
import { serveStatic } from './static-files';
import { DEFAULT_LIMITS, serveConnection, type Connection, type ConnectionLimits } from './connection';
import { allowedHosts, hostAllowed } from './host-check';

/** A running server: its URL (with the token) and the means to stop it. */
export interface RunningServer {
  readonly origin: string;
  readonly token: string;
  /** The address to open in a browser, token included. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Most headers a request may carry (a browser sends about twenty). */
const MAX_HEADERS = 100;
/** Most API clients connected at once; one more is told the server is busy (503). */
const MAX_CLIENTS = 128;
/** How long a client has to send its request's headers (a trickle of bytes would hold a socket forever). */
const HEADERS_TIMEOUT_MS = 10_000;
/** How long a closing socket may take to answer the close before it is cut (a client that does not read never answers). */
const CLOSE_TIMEOUT_MS = 2_000;

/** Starts the server on host:port (port 0 picks a free one) serving rendererRoot if given. */
export async function startServer(
  studio: StudioHost,
  options: { host?: string; port?: number; rendererRoot?: string; token?: string; nextFreePort?: boolean; limits?: Partial<ConnectionLimits> },
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const limits: ConnectionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let hosts: ReadonlySet<string> = new Set();
  const http: Server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: 60_000 }, (req, res) => {
    const refusal = checkRequest(req, hosts);
    if (refusal) {
      res.writeHead(refusal.status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(refusal.reason);
      return;
    }
    if (!options.rendererRoot) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('this server has no renderer; use the API at ' + WS_PATH);
      return;
    }
    serveStatic(options.rendererRoot, req, res).catch(() => res.writeHead(500).end());
  });
  // one more than allowed, so a request over the limit shows as such instead of being cut short silently
  http.maxHeadersCount = MAX_HEADERS + 1;
  // closeTimeout is an option of ws 8 its type definitions do not list yet
  const wsOptions: ServerOptions & { closeTimeout: number } = { noServer: true, maxPayload: MAX_FRAME_BYTES, closeTimeout: CLOSE_TIMEOUT_MS };
  const wss = new WebSocketServer(wsOptions);
  const connections = new Set<Connection>();

  // Each event is encoded once, and only when some client takes it.
  const stopEvents = studio.events.onAny((event, payload) => {
    if (connections.size === 0) return;
    const text = encodeWire({ event, payload });
    for (const connection of connections) connection.sendEvent(text);
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkRequest(req, hosts) ?? checkUpgrade(req, token) ?? (wss.clients.size >= MAX_CLIENTS ? { status: 503, reason: 'Service Unavailable' } : null);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = serveConnection(ws, studio.dispatch, limits);
      connections.add(connection);
      ws.on('close', () => connections.delete(connection));
    });
  });

  await listen(http, host, options.port ?? 0, options.nextFreePort ?? false);
  const address = http.address() as AddressInfo;
  const port = address.port;
  hosts = allowedHosts(host, address.address, port);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    origin,
    token,
    port,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        stopEvents();
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

type Refusal = { status: number; reason: string };

/** Refuses any request (page or API) with too many headers or a Host that does not name this server (DNS rebinding). */
function checkRequest(req: IncomingMessage, hosts: ReadonlySet<string>): Refusal | null {
  if (req.rawHeaders.length / 2 > MAX_HEADERS) return { status: 431, reason: 'Request Header Fields Too Large' };
  if (!hostAllowed(req.headers.host, hosts)) return { status: 403, reason: 'Forbidden' };
  return null;
}

/** Refuses an API upgrade without the token (401) or from a page another server served (403). */
function checkUpgrade(req: IncomingMessage, token: string): Refusal | null {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname !== WS_PATH) return { status: 404, reason: 'Not Found' };
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401, reason: 'Unauthorized' };
  // A browser always sends Origin: only pages served by this very server may connect. The Host it names was checked above.
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${req.headers.host?.toLowerCase()}`) return { status: 403, reason: 'Forbidden' };
  return null;
}
