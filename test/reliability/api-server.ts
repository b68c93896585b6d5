// The built studio server as its own process for attack tests: its address and token, its memory and sockets, raw HTTP and WebSocket bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { signalProcess } from '../../src-main/process';
import { decodeWire, encodeWire } from '../../src-core/api/wire';

const ROOT = resolve(import.meta.dirname, '../..');
/** The server under test: this checkout's build, or another build's serve.js named by STUDIO_SERVE (to measure it against the same attacks). */
const SERVE = process.env.STUDIO_SERVE ? resolve(process.env.STUDIO_SERVE) : join(ROOT, 'out/main/serve.js');

/** A studio server running in a child process over a temp workspace. */
export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** host:port as a browser on this machine writes it. */
  readonly host: string;
  readonly origin: string;
  readonly token: string;
  /** The API endpoint with the token. */
  readonly apiUrl: string;
  /** Resident memory now, in MB (VmRSS). */
  rssMb(): number;
  /** The most resident memory the process has had, in MB (VmHWM). */
  peakRssMb(): number;
  /** Open TCP sockets of the process (the listening one included). */
  sockets(): number;
  stop(): Promise<void>;
}

function statusField(pid: number, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** Starts `node out/main/serve.js --port 0` (npm run build first) and waits for the address it prints. */
export async function startServerProcess(extraArgs: string[] = []): Promise<ServerProcess> {
  if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run npm run build first (npm test does)`);
  const workspace = mkdtempSync(join(tmpdir(), 'studio-attack-'));
  const child: ChildProcess = spawn(process.execPath, [SERVE, '--port', '0', '--workspace', workspace, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<URL>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no address in 30 s: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Open (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePromise(new URL(m[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${output}`)));
  });
  const pid = child.pid as number;
  const token = url.searchParams.get('token') ?? '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    pid,
    port: Number(url.port),
    host: url.host,
    origin: url.origin,
    token,
    apiUrl: `ws://${url.host}/api?token=${token}`,
    rssMb: () => statusField(pid, 'VmRSS'),
    peakRssMb: () => statusField(pid, 'VmHWM'),
    sockets: () => {
      const dir = `/proc/${pid}/fd`;
      let n = 0;
      for (const fd of readdirSync(dir)) {
        try {
          if (readlinkSync(join(dir, fd)).startsWith('socket:')) n++;
        } catch {
          // closed while we looked
        }
      }
      return n;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signalProcess(pid, 'SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) signalProcess(pid, 'SIGKILL');
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** Opens an API socket with ws (which reads everything it is sent). */
export function openClient(server: ServerProcess, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(server.apiUrl, { maxPayload: 64 * 1024 * 1024, ...options });
    ws.once('open', () => resolvePromise(ws));
    ws.once('error', reject);
  });
}

/** A decoded server frame. */
type ServerFrame = { id?: number | null; ok?: boolean; result?: unknown; error?: { code: string; message: string; details?: unknown[] }; event?: string };

/** Calls a method over an open ws socket; resolves with the reply frame (its size too) and how long it took. */
export function callOn(ws: WebSocket, method: string, params: unknown, id = nextId()): Promise<{ frame: ServerFrame; bytes: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolvePromise, reject) => {
    const onClose = () => reject(new Error(`socket closed before the reply to ${method}`));
    const onMessage = (data: Buffer) => {
      const text = data.toString();
      // events and other calls' replies pass by; only this id's reply ends the wait
      if (!text.startsWith(`{"id":${id},`)) return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolvePromise({ frame: decodeWire(text) as ServerFrame, bytes: data.byteLength, ms: performance.now() - start });
    };
    ws.setMaxListeners(0);
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(encodeWire({ id, method, params }));
  });
}

let ids = 1;
/** A call id unique in this test process. */
export function nextId(): number {
  return ids++;
}

/** Sends raw bytes of an HTTP request and resolves with the status of the reply (0 when the socket closed without one). */
export function rawStatus(port: number, request: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        socket.destroy();
        resolvePromise(Number(m[1]));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolvePromise(0));
    socket.write(request);
  });
}

/** An HTTP request line plus headers for an upgrade to the API, with headers added or replacing the usual ones. */
export function upgradeRequest(server: ServerProcess, headers: Record<string, string> = {}, extraLines: string[] = [], token = server.token): string {
  const all: Record<string, string> = {
    Host: server.host,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = [`GET /api?token=${token} HTTP/1.1`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`), ...extraLines];
  return lines.join('\r\n') + '\r\n\r\n';
}

/** One client frame (masked, as a client must send it) with the given opcode, FIN bit and payload; length may be declared larger than sent. */
export function clientFrame(opcode: number, payload: Buffer, fin = true, declaredLength = payload.length): Buffer {
  const mask = randomBytes(4);
  let header: Buffer;
  if (declaredLength < 126) {
    header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | declaredLength]);
  } else if (declaredLength < 65536) {
    header = Buffer.alloc(4);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(declaredLength, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(declaredLength), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([header, mask, body]);
}

/** A WebSocket opened by hand on a plain TCP socket, reading only as fast as the test lets it. */
interface RawSocket {
  readonly socket: Socket;
  /** Server frames read so far: their count and bytes, the close code if one came, the first bytes of each text frame. */
  readonly received: { frames: number; bytes: number; closeCode: number | null; texts: string[] };
  /** Reads up to this many bytes of what the server sent (the rest waits in the kernel, pushing back on the server). */
  read(maxBytes: number): number;
  /** Reads everything as it comes. */
  flow(): void;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
}

/** Opens the API by hand; reading starts paused, so the server sees a client that does not read until read() or flow(). */
export function openRaw(server: ServerProcess, keepText = 200): Promise<RawSocket> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const received = { frames: 0, bytes: 0, closeCode: null as number | null, texts: [] as string[] };
    let pending: Buffer = Buffer.alloc(0);
    // the frame being read: bytes still to skip and its opcode
    let left = 0;
    let opcode = 0;
    let head: Buffer = Buffer.alloc(0);
    const consume = (chunk: Buffer) => {
      received.bytes += chunk.length;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length) {
        if (left > 0) {
          const take = Math.min(left, pending.length);
          if (opcode === 1 && head.length < keepText) head = Buffer.concat([head, pending.subarray(0, Math.min(take, keepText - head.length))]);
          if (opcode === 8 && head.length < 2) head = Buffer.concat([head, pending.subarray(0, take)]);
          left -= take;
          pending = pending.subarray(take);
          if (left === 0) finish();
          continue;
        }
        if (pending.length < 2) return;
        let len = pending[1] & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (pending.length < 4) return;
          len = pending.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (pending.length < 10) return;
          len = Number(pending.readBigUInt64BE(2));
          offset = 10;
        }
        opcode = pending[0] & 0x0f;
        head = Buffer.alloc(0);
        pending = pending.subarray(offset);
        left = len;
        if (left === 0) finish();
      }
    };
    const finish = () => {
      received.frames++;
      if (opcode === 1) received.texts.push(head.toString());
      if (opcode === 8) received.closeCode = head.length >= 2 ? head.readUInt16BE(0) : 1005;
    };
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    let handshake = '';
    const onHandshake = (chunk: Buffer) => {
      handshake += chunk.toString('latin1');
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onHandshake);
      if (!handshake.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${handshake.split('\r\n')[0]}`));
      socket.pause();
      const rest = Buffer.from(handshake.slice(end + 4), 'latin1');
      if (rest.length) consume(rest);
      resolvePromise({
        socket,
        received,
        read(maxBytes) {
          let got = 0;
          while (got < maxBytes) {
            const chunk = socket.read() as Buffer | null;
            if (chunk === null) break;
            got += chunk.length;
            consume(chunk);
          }
          return got;
        },
        flow() {
          socket.on('data', consume);
          socket.resume();
        },
        closed,
      });
    };
    socket.on('data', onHandshake);
    socket.write(upgradeRequest(server));
  });
}

/** The frame of a call, as the client sends it. */
export function callFrame(id: number, method: string, params: unknown): Buffer {
  return clientFrame(1, Buffer.from(encodeWire({ id, method, params })));
}

/** Measures a quiet client's latency while something else happens: app.info every interval ms; resolves with every latency. */
export function latencyProbe(ws: WebSocket, intervalMs = 20): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { ms } = await callOn(ws, 'app.info', {});
      latencies.push(ms);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/** The q-quantile of values (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Prints one measured figure in a form `npm run soak` output can be searched for. */
export function figure(name: string, text: string): void {
  console.log(`[figure] ${name}: ${text}`);
}
