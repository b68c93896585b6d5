// The built server process under attack: bad tokens, foreign origins and hosts, 2,000 headers, oversized and fragmented
// frames, frames whose checking would cost seconds and gigabytes, a client that never reads, a flood of calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type WebSocket from 'ws';
import { MAX_FRAME_BYTES } from '../../src-core/api/ws-protocol';
import { SOAK, timeoutFor, trials } from './soak';
import {
  callFrame, callOn, clientFrame, figure, latencyProbe, nextId, openClient, openRaw, quantile, rawStatus, startServerProcess, upgradeRequest,
  type ServerProcess,
} from './api-server';

const MB = 1024 * 1024;
const round = (x: number) => Math.round(x);

/** Waits until check() holds or the time is up; returns whether it held. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** A call frame of the given total size whose params are {"$u8": base64 of zero bytes}. */
function u8Frame(totalBytes: number, method = 'app.info'): string {
  const shell = JSON.stringify({ id: 1, method, params: { $u8: '' } });
  const chars = Math.floor((totalBytes - shell.length) / 4) * 4;
  return JSON.stringify({ id: 1, method, params: { $u8: Buffer.alloc((chars / 4) * 3).toString('base64') } });
}

/** Sends one text frame and resolves with the reply's bytes and the time it took. */
function exchange(ws: WebSocket, text: string): Promise<{ reply: Buffer; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    ws.once('message', (reply: Buffer) => resolve({ reply, ms: performance.now() - start }));
    ws.send(text);
  });
}

/**
 * What the server must spend on any frame of this size: receiving it and decoding its base64, measured as a call of
 * an unknown method (no schema at all), so the bounds below hold on a loaded machine too.
 */
async function decodeCost(ws: WebSocket, size: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 2; i++) times.push((await exchange(ws, u8Frame(size, 'no.such.method'))).ms);
  return Math.min(...times);
}

/** The most an attack frame may cost: a few times what any frame of its size costs. */
const allowance = (baseMs: number) => 3 * baseMs + 1000;

describe('a 16 MiB frame of {"$u8": base64} params (any method) is refused in bounded time, size and memory', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('answers in a few hundred bytes, keeps other clients answered and the server small', { timeout: 120_000 }, async () => {
    const attacker = await openClient(server);
    const quiet = await openClient(server);
    await callOn(quiet, 'app.info', {});
    const before = server.rssMb();
    const seen: { size: number; bytes: number; ms: number; base: number; wait: number; code: string; message: string }[] = [];
    for (const size of [1 * MB, MAX_FRAME_BYTES]) {
      const base = await decodeCost(attacker, size);
      const probe = latencyProbe(quiet, 10);
      const text = u8Frame(size);
      expect(text.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
      const { reply, ms } = await exchange(attacker, text);
      const latencies = await probe.stop();
      const frame = JSON.parse(reply.toString()) as { id: number; error: { code: string; message: string } };
      seen.push({ size, bytes: reply.byteLength, ms, base, wait: Math.max(...latencies), code: frame.error.code, message: frame.error.message });
    }
    const peak = server.peakRssMb();
    const lines = seen.map(
      (r) => `${(r.size / MB).toFixed(0)} MiB: reply ${r.bytes} B in ${round(r.ms)} ms (receiving and decoding such a frame: ${round(r.base)} ms), another client's longest wait ${round(r.wait)} ms`,
    );
    figure('16 MiB $u8 frame', `${lines.join('; ')}; server memory ${round(before)} MB -> peak ${round(peak)} MB, ${round(server.rssMb())} MB after`);
    for (const r of seen) {
      // before: 165 MB naming every byte index, ~10 s during which no other client was answered
      expect(r.bytes).toBeLessThan(16_384);
      expect(r.ms).toBeLessThan(allowance(r.base));
      expect(r.wait).toBeLessThan(allowance(r.base));
    }
    // before: 75 MB -> 2.1 GB peak
    expect(peak - before).toBeLessThan(400);
    for (const r of seen) {
      expect(r.code).toBe('invalid-message');
      expect(r.message).toMatch(/binary data \(a Uint8Array of \d+ values\)/);
    }
    attacker.close();
    quiet.close();
  });

  it('refuses every other costly shape as quickly and briefly: a key flood, a bare typed array, binary data where settings go, a wide list, a deep nest, a 16 MB method name', { timeout: 120_000 }, async () => {
    const ws = await openClient(server);
    const keys: string[] = [];
    for (let i = 0, length = 0; length < MAX_FRAME_BYTES - 200; i++) {
      keys.push(`"${i.toString(36)}":0`);
      length += keys[keys.length - 1].length + 1;
    }
    const bytes = Buffer.alloc(11 * MB).toString('base64');
    const shapes: Record<string, string> = {
      'two million keys': `{"id":1,"method":"app.info","params":{${keys.join(',')}}}`,
      'bare $u8': JSON.stringify({ $u8: bytes }),
      '$u8 as a mixture': JSON.stringify({ id: 1, method: 'sampling.run', params: { model: { kind: 'oracle', mixture: { $u8: bytes }, schedule: { name: 'linear' } }, sampler: 'euler', steps: 1 } }),
      '$u8 as a training config': JSON.stringify({ id: 1, method: 'training.start', params: { config: { $u8: bytes } } }),
      'eight million entries': `{"id":1,"method":"app.info","params":[${'0,'.repeat(8 * MB - 40)}0]}`,
      'nested 100 deep': `{"id":1,"method":"app.info","params":${'['.repeat(100)}${']'.repeat(100)}}`,
      '16 MB method name': JSON.stringify({ id: 1, method: 'x'.repeat(MAX_FRAME_BYTES - 100), params: {} }),
    };
    const base = await decodeCost(ws, MAX_FRAME_BYTES);
    const lines: string[] = [];
    for (const [name, text] of Object.entries(shapes)) {
      expect(text.length, name).toBeLessThanOrEqual(MAX_FRAME_BYTES);
      const { reply, ms } = await exchange(ws, text);
      const frame = JSON.parse(reply.toString()) as { ok: boolean; error: { code: string } };
      expect(frame.ok, name).toBe(false);
      expect(['invalid-message', 'unknown-method'], name).toContain(frame.error.code);
      expect(reply.byteLength, name).toBeLessThan(16_384);
      expect(ms, name).toBeLessThan(allowance(base));
      lines.push(`${name} ${round(ms)} ms / ${reply.byteLength} B`);
    }
    figure('costly 16 MiB shapes', `${lines.join('; ')} (receiving and decoding a 16 MiB $u8 frame: ${round(base)} ms); server peak ${round(server.peakRssMb())} MB`);
    ws.close();
  });
});

describe('a client that never reads its replies', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('holds a bounded backlog, whatever it asks, and is let go soon after it closes', { timeout: timeoutFor(trials(40, 200), 200, 90_000) }, async () => {
    const calls = trials(40, 200);
    const quiet = await openClient(server);
    const params = { id: 'two-moons', count: 1_000_000, seed: 1 };
    const before = server.rssMb();
    // what one legitimate 1,000,000-point reply costs the server, at its height
    const one = await callOn(quiet, 'datasets.generate', params);
    expect(one.frame.ok).toBe(true);
    const onePeak = server.peakRssMb();
    const socketsBefore = server.sockets();
    const reader = await openRaw(server);
    const probe = latencyProbe(quiet, 50);
    for (let i = 0; i < calls; i++) reader.socket.write(callFrame(nextId(), 'datasets.generate', { ...params, seed: i }));
    // the server takes what it can send and then waits for the client; memory settles
    let last = 0;
    let settled = 0;
    let highest = onePeak;
    for (let i = 0; i < 60 && settled < 8; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const now = server.rssMb();
      highest = Math.max(highest, now);
      settled = Math.abs(now - last) < 2 ? settled + 1 : 0;
      last = now;
    }
    const latencies = await probe.stop();
    const held = server.rssMb();
    // a graceful close it cannot read the answer to: the server lets the socket go after its close timeout (was 30 s)
    reader.socket.write(clientFrame(8, Buffer.from([0x03, 0xe8])));
    const start = performance.now();
    const released = await until(() => server.sockets() <= socketsBefore, 10_000);
    const releaseMs = performance.now() - start;
    reader.socket.destroy();
    figure(
      'never-reading client',
      `${calls} unread 1,000,000-point datasets.generate calls: server memory ${round(before)} MB at start, ${round(onePeak)} MB at the height of one read reply ` +
        `(${round(one.bytes / MB)} MB, made in ${round(one.ms)} ms), ${round(held)} MB held unread (highest ${round(highest)} MB); ` +
        `another client's longest wait ${round(Math.max(...latencies))} ms; socket ${released ? `released ${round(releaseMs)} ms` : 'still held 10 s'} after its close`,
    );
    // before: 20 unread replies held ~430 MB and it grew with every call (40: 1.5 GB); now about what one read reply takes,
    // plus what the collector has not yet handed back (310 to 472 MB held at a peak of 293 measured, the high end under load)
    expect(held).toBeLessThan(onePeak + 250);
    // the wait is the generation of one or two sets of 1,000,000 points in the server's event loop (before: all forty, 82 s)
    expect(Math.max(...latencies)).toBeLessThan(3 * one.ms + 2000);
    expect(released).toBe(true);
    quiet.close();
  });
});

describe('who may connect', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('refuses a missing or wrong token with 401', { timeout: 120_000 }, async () => {
    const count = trials(100, 2000);
    const statuses = new Map<number, number>();
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      // the same length as the real token, another length, none at all
      const token = i % 3 === 0 ? randomBytes(18).toString('base64url') : i % 3 === 1 ? randomBytes(1 + (i % 40)).toString('hex') : '';
      if (token === server.token) continue;
      const status = await rawStatus(server.port, upgradeRequest(server, {}, [], token));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const ms = (performance.now() - start) / count;
    figure('bad tokens', `${count} tried, answers ${JSON.stringify(Object.fromEntries(statuses))}, ${ms.toFixed(1)} ms each`);
    expect([...statuses.keys()]).toEqual([401]);
  });

  it('refuses a foreign Origin with 403, and a foreign Host (DNS rebinding) even when Origin agrees with it', { timeout: 120_000 }, async () => {
    const count = trials(60, 1200);
    const port = server.port;
    const names = ['evil.example', 'attacker.test', '127.0.0.1.nip.io', 'localhost.evil', '0.0.0.0', '127.0.0.2', '[::2]'];
    const origins: Record<string, string>[] = [];
    for (let i = 0; origins.length < count; i++) {
      const name = names[i % names.length];
      const other = `${name}:${port}`;
      // a foreign page on our Host; a rebound name as Host and Origin; a foreign Host without Origin (a tool on a rebound name)
      origins.push({ Origin: `http://${other}` }, { Host: other, Origin: `http://${other}` }, { Host: other });
      origins.push({ Origin: `http://127.0.0.1:${port + 1}` }, { Origin: 'null' }, { Origin: `https://${server.host}` });
    }
    const statuses = new Map<number, number>();
    for (const headers of origins.slice(0, count)) {
      const status = await rawStatus(port, upgradeRequest(server, headers));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // the page itself is not served to a rebound name either
    const page = await rawStatus(port, `GET / HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`);
    // the studio's own page under each loopback name it answers to
    const own: number[] = [];
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      own.push(await rawStatus(port, upgradeRequest(server, { Host: host, Origin: `http://${host}` })));
    }
    figure('foreign origins and hosts', `${count} tried, answers ${JSON.stringify(Object.fromEntries(statuses))}; page for a rebound name ${page}; own page under 127.0.0.1, localhost, [::1]: ${own.join(', ')}`);
    expect([...statuses.keys()]).toEqual([403]);
    expect(page).toBe(403);
    expect(own).toEqual([101, 101, 101, 101]);
  });

  it('listens on loopback only unless asked', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info && info.family === 'IPv4' && !info.internal)
      .map((info) => info!.address);
    const results: string[] = [];
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(server.port, address);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      results.push(`${address}: ${outcome}`);
      expect(outcome).not.toBe('connected');
    }
    figure('loopback only', others.length ? results.join('; ') : 'this machine has no other IPv4 interface to try');
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });
});

describe('malformed requests and frames', () => {
  let server: ServerProcess;
  let quiet: WebSocket;
  beforeAll(async () => {
    server = await startServerProcess();
    quiet = await openClient(server);
  });
  afterAll(async () => {
    quiet?.close();
    await server?.stop();
  });

  it('answers 2,000 headers with 431 and goes on serving', async () => {
    const tiny = Array.from({ length: 2000 }, (_, i) => `a${i}: 1`);
    const big = Array.from({ length: 2000 }, (_, i) => `X-Header-${i}: ${'v'.repeat(20)}`);
    const start = performance.now();
    const statuses = [await rawStatus(server.port, upgradeRequest(server, {}, tiny)), await rawStatus(server.port, upgradeRequest(server, {}, big))];
    statuses.push(await rawStatus(server.port, `GET / HTTP/1.1\r\nHost: ${server.host}\r\n${tiny.join('\r\n')}\r\n\r\n`));
    const ms = performance.now() - start;
    const after = await callOn(quiet, 'app.info', {});
    figure('2,000 headers', `upgrade with 2,000 short headers ${statuses[0]}, with 2,000 long ones (50 KB) ${statuses[1]}, page request ${statuses[2]}, ${round(ms)} ms for the three; next call answered in ${round(after.ms)} ms`);
    expect(statuses).toEqual([431, 431, 431]);
    expect(after.frame.ok).toBe(true);
  });

  it('closes on an oversized frame (sent, or only announced) with 1009', { timeout: 60_000 }, async () => {
    const sent = await openRaw(server);
    sent.flow();
    sent.socket.write(clientFrame(1, Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20)));
    await sent.closed;
    const announced = await openRaw(server);
    announced.flow();
    const start = performance.now();
    // a header claiming a terabyte, and no payload at all
    announced.socket.write(clientFrame(1, Buffer.alloc(0), true, 2 ** 40));
    await announced.closed;
    const ms = performance.now() - start;
    figure('oversized frames', `16 MiB + 1 sent: close ${sent.received.closeCode}; 1 TB announced: close ${announced.received.closeCode} after ${round(ms)} ms`);
    expect(sent.received.closeCode).toBe(1009);
    expect(announced.received.closeCode).toBe(1009);
  });

  it('reads a call sent in fragments (pings between), and closes on too many fragments or too many bytes in them', { timeout: 60_000 }, async () => {
    const raw = await openRaw(server);
    raw.flow();
    const call = Buffer.from(JSON.stringify({ id: 7, method: 'app.info', params: {} }));
    const pieces = 20;
    const step = Math.ceil(call.length / pieces);
    for (let i = 0; i * step < call.length; i++) {
      const last = (i + 1) * step >= call.length;
      raw.socket.write(clientFrame(i === 0 ? 1 : 0, call.subarray(i * step, (i + 1) * step), last));
      if (!last) raw.socket.write(clientFrame(9, Buffer.from('ping')));
    }
    expect(await until(() => raw.received.texts.some((t) => t.startsWith('{"id":7,"ok":true')), 5000)).toBe(true);
    raw.socket.destroy();

    const many = await openRaw(server);
    many.flow();
    const fragments = 20_000;
    const chunks = [clientFrame(1, Buffer.from('['), false)];
    for (let i = 0; i < fragments; i++) chunks.push(clientFrame(0, Buffer.from(' '), false));
    many.socket.write(Buffer.concat(chunks));
    await many.closed;

    const heavy = await openRaw(server);
    heavy.flow();
    const piece = Buffer.alloc(MB, 0x20);
    heavy.socket.write(clientFrame(1, piece, false));
    for (let i = 0; i < 17 && !heavy.socket.destroyed; i++) heavy.socket.write(clientFrame(0, piece, false));
    await heavy.closed;
    const after = await callOn(quiet, 'app.info', {});
    figure('fragmented frames', `a call in ${pieces} fragments with pings between: answered; ${fragments} one-byte fragments: close ${many.received.closeCode}; 17 MiB in 1 MiB fragments: close ${heavy.received.closeCode}; next call ${round(after.ms)} ms`);
    expect(many.received.closeCode).toBe(1008);
    expect(heavy.received.closeCode).toBe(1009);
    expect(after.frame.ok).toBe(true);
  });
});

describe('a flood of calls', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  it('is answered call by call, the excess with the typed error rate-limited, while another client is served', { timeout: timeoutFor(trials(5000, 200_000), 1) }, async () => {
    const count = trials(5000, 200_000);
    const flooder = await openClient(server);
    const quiet = await openClient(server);
    const codes = new Map<string, number>();
    let answered = 0;
    const firstId = nextId();
    for (let i = 1; i < count; i++) nextId();
    const done = new Promise<void>((resolve) => {
      flooder.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { id: number; ok: boolean; error?: { code: string } };
        if (typeof frame.id !== 'number' || frame.id < firstId || frame.id >= firstId + count) return;
        const code = frame.ok ? 'ok' : (frame.error?.code ?? '?');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (++answered === count) resolve();
      });
    });
    const probe = latencyProbe(quiet, 20);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      flooder.send(JSON.stringify({ id: firstId + i, method: 'app.info', params: {} }));
      // let the socket drain now and then, as a script in a loop would
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    await done;
    const seconds = (performance.now() - start) / 1000;
    const latencies = await probe.stop();
    const ok = codes.get('ok') ?? 0;
    const limited = codes.get('rate-limited') ?? 0;
    figure(
      'flood of calls',
      `${count} app.info calls in ${seconds.toFixed(1)} s: ${ok} answered, ${limited} rate-limited (${JSON.stringify(Object.fromEntries(codes))}); ` +
        `another client meanwhile: p50 ${round(quantile(latencies, 0.5))} ms, p95 ${round(quantile(latencies, 0.95))} ms, max ${round(Math.max(...latencies))} ms over ${latencies.length} calls; server peak ${round(server.peakRssMb())} MB`,
    );
    expect(ok + limited).toBe(count);
    expect(limited).toBeGreaterThan(0);
    // the allowance: a burst of 400 and 200 a second
    expect(ok).toBeLessThanOrEqual(400 + 200 * seconds * 1.1 + 10);
    // the quiet client is never rate-limited and never waits long
    expect(quantile(latencies, 0.95)).toBeLessThan(SOAK ? 1000 : 2000);
    flooder.close();
    quiet.close();
  });
});
