// The headless server refuses what it must: no token, a wrong token, a foreign origin or host, malformed or oversized frames, path escapes, a flood.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { createStudioHost } from '../../src-main/services/studio-host';
import { startServer, type RunningServer } from '../../src-main/server/ws-server';
import { encodeWire, decodeWire } from '../../src-core/api/wire';
import { MAX_FRAME_BYTES } from '../../src-core/api/ws-protocol';
import { apiUrl, connectWebSocket, type SocketLike } from '../../src-core/api/ws-client';
import { StudioError } from '../../src-core/errors';

let server: RunningServer;
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'studio-sec-'));
  const renderer = join(workspace, 'renderer');
  await mkdir(renderer);
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(workspace, 'secret.txt'), 'secret');
  server = await startServer(createStudioHost({ workspace, version: 't', host: 'server' }), { port: 0, rendererRoot: renderer });
});
afterAll(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

/** Tries to open a socket; resolves with the HTTP status of a refusal, or 101 when it opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; csp?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}${path}`, { headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string | undefined });
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(decodeWire(data.toString()) as Record<string, unknown>)));
}

describe('WebSocket upgrade', () => {
  const base = () => `${server.origin.replace('http', 'ws')}/api`;
  it('accepts the right token from a tool (no Origin) and from the studio page', async () => {
    expect(await upgradeStatus(`${base()}?token=${server.token}`)).toBe(101);
    expect(await upgradeStatus(`${base()}?token=${server.token}`, { Origin: server.origin })).toBe(101);
  });
  it('refuses a missing or wrong token with 401', async () => {
    expect(await upgradeStatus(base())).toBe(401);
    // a token one character off (never the token itself, whatever its last character is)
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('x') ? 'y' : 'x');
    expect(await upgradeStatus(`${base()}?token=${wrong}`)).toBe(401);
    expect(await upgradeStatus(`${base()}?token=`)).toBe(401);
  });
  it('refuses another origin with 403, even with the token', async () => {
    expect(await upgradeStatus(`${base()}?token=${server.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${base()}?token=${server.token}`, { Origin: 'http://localhost:1' })).toBe(403);
  });
  it('refuses a Host that does not name this server (DNS rebinding) with 403, even when Origin agrees with it', async () => {
    const port = server.port;
    const rebound = `evil.example:${port}`;
    expect(await upgradeStatus(`${base()}?token=${server.token}`, { Host: rebound, Origin: `http://${rebound}` })).toBe(403);
    expect(await upgradeStatus(`${base()}?token=${server.token}`, { Host: rebound })).toBe(403);
    expect((await get('/', { Host: rebound })).status).toBe(403);
    // the loopback names of this server, with the page's own Origin
    for (const host of [`localhost:${port}`, `[::1]:${port}`]) {
      expect(await upgradeStatus(`${base()}?token=${server.token}`, { Host: host, Origin: `http://${host}` })).toBe(101);
    }
  });
  it('refuses other paths', async () => {
    expect(await upgradeStatus(`${server.origin.replace('http', 'ws')}/other?token=${server.token}`)).toBe(404);
  });
});

describe('frames', () => {
  it('answers non-JSON, a wrong envelope and a binary frame with invalid-message and keeps serving', async () => {
    const ws = await openSocket();
    // a frame whose id can be read gets it back, so the caller's promise is answered
    const cases = [
      { bad: '{not json', id: null },
      { bad: JSON.stringify({ id: 'x', method: 1 }), id: null },
      { bad: JSON.stringify({ id: 1, method: 'app.info', params: {}, extra: true }), id: 1 },
    ];
    for (const { bad, id } of cases) {
      const reply = nextFrame(ws);
      ws.send(bad);
      const frame = await reply;
      expect(frame.ok).toBe(false);
      expect((frame.error as { code: string }).code).toBe('invalid-message');
      expect(frame.id).toBe(id);
    }
    const binary = nextFrame(ws);
    ws.send(new Uint8Array([1, 2, 3]));
    expect(((await binary).error as { code: string }).code).toBe('invalid-message');
    const ok = nextFrame(ws);
    ws.send(encodeWire({ id: 9, method: 'app.info', params: {} }));
    const frame = await ok;
    expect(frame).toMatchObject({ id: 9, ok: true });
    ws.close();
  });

  it('closes the connection on a frame above the size limit', async () => {
    const ws = await openSocket();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
  });
});

describe('static files', () => {
  it('serves the page with a strict CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.csp).toMatch(/script-src 'self'/);
    expect(page.csp).not.toMatch(/unsafe-eval/);
  });
  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(path);
      expect([403, 404]).toContain(res.status);
    }
  });
});

describe('a flood of calls', () => {
  it('is answered with the typed error rate-limited beyond the allowance, and the client sees that code', async () => {
    const workspace2 = await mkdtemp(join(tmpdir(), 'studio-sec-rate-'));
    const limited = await startServer(createStudioHost({ workspace: workspace2, version: 't', host: 'server' }), { port: 0, limits: { burstCalls: 5, callsPerSecond: 1 } });
    const api = await connectWebSocket(apiUrl(limited.origin, limited.token), (url) => new WebSocket(url) as unknown as SocketLike);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () => api.call('app.info', {}).then(() => 'ok', (err: unknown) => (err instanceof StudioError ? err.code : String(err)))),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
      expect(outcomes.filter((o) => o === 'rate-limited')).toHaveLength(3);
      // the allowance refills
      await new Promise((r) => setTimeout(r, 1100));
      await expect(api.call('app.info', {})).resolves.toMatchObject({ host: 'server' });
    } finally {
      api.close();
      await limited.close();
      await rm(workspace2, { recursive: true, force: true });
    }
  });
});
