// The built server process under load: 50 clients sampling and following every event at once, and a client that
// reads slowly for minutes while others work, with the server's memory watched throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectWebSocket, type SocketLike, type WsStudioApi } from '../../src-core/api/ws-client';
import { SOAK, timeoutFor, trials } from './soak';
import { callFrame, callOn, figure, nextId, openClient, openRaw, quantile, startServerProcess, type ServerProcess } from './api-server';

const round = (x: number) => Math.round(x);
const mixture = { weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covariances: [[[0.3, 0], [0, 0.3]], [[0.3, 0], [0, 0.3]]] };
const oracle = { kind: 'oracle' as const, mixture, schedule: { name: 'linear' }, parameterisation: 'velocity' as const };

function connect(server: ServerProcess): Promise<WsStudioApi> {
  return connectWebSocket(server.apiUrl, (url) => new WebSocket(url) as unknown as SocketLike);
}

describe('50 concurrent clients sampling and subscribing', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  const clients = 50;
  const rounds = trials(2, 40);
  const steps = 20;

  it('answers every call and delivers every step event to every client', { timeout: timeoutFor(rounds * clients, 400, 60_000) }, async () => {
    const apis = await Promise.all(Array.from({ length: clients }, () => connect(server)));
    const before = server.rssMb();
    // every client follows every run's progress, as a page does; each counts the steps of its own runs and of all
    const own = new Map<string, number>();
    const seenByClient = apis.map(() => 0);
    const offs = apis.map((api, c) =>
      api.on('sampling.progress', (p) => {
        seenByClient[c]++;
        if (p.id.startsWith(`c${c}-`)) own.set(p.id, (own.get(p.id) ?? 0) + 1);
      }),
    );
    const latencies: number[] = [];
    const infoLatencies: number[] = [];
    let failures = 0;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      await Promise.all(
        apis.map(async (api, c) => {
          const t0 = performance.now();
          try {
            const result = await api.call('sampling.run', { id: `c${c}-r${r}`, model: oracle, sampler: c % 2 ? 'euler' : 'heun', steps, n: 500, seed: c * 1000 + r, grid: 'uniform', denoiseLast: false });
            latencies.push(performance.now() - t0);
            expect(result.samples).toHaveLength(500 * 2);
            const t1 = performance.now();
            await api.call('app.info', {});
            infoLatencies.push(performance.now() - t1);
          } catch {
            failures++;
          }
        }),
      );
    }
    const seconds = (performance.now() - start) / 1000;
    // events may trail the reply that ends a run by a moment
    await new Promise((r) => setTimeout(r, 500));
    offs.forEach((off) => off());
    const complete = [...own.values()].filter((n) => n === steps).length;
    const totalEvents = seenByClient.reduce((a, b) => a + b, 0);
    figure(
      '50 concurrent clients',
      `${clients} clients x ${rounds} rounds of sampling.run (oracle, ${steps} steps, 500 points) in ${seconds.toFixed(1)} s: ${failures} failed; ` +
        `latency p50 ${round(quantile(latencies, 0.5))} ms, p95 ${round(quantile(latencies, 0.95))} ms, max ${round(Math.max(...latencies))} ms; ` +
        `app.info between them p95 ${round(quantile(infoLatencies, 0.95))} ms; runs with all ${steps} step events at their client ${complete}/${clients * rounds}; ` +
        `${totalEvents} events delivered (${round(totalEvents / clients)} per client); server memory ${round(before)} MB -> peak ${round(server.peakRssMb())} MB`,
    );
    expect(failures).toBe(0);
    expect(complete).toBe(clients * rounds);
    // every client saw every run's steps, its own and the others'
    for (const seen of seenByClient) expect(seen).toBe(clients * rounds * steps);
    for (const api of apis) api.close();
  });
});

describe('a slow reader', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server?.stop());

  // ten minutes in the soak, ten seconds in npm test
  const durationMs = trials(10_000, 600_000);
  const readBytesPerSecond = 256 * 1024;

  it('is served at its own pace while the server stays bounded in memory and answers others', { timeout: durationMs + 120_000 }, async () => {
    const busy = await openClient(server);
    const quiet = await openClient(server);
    await callOn(quiet, 'datasets.generate', { id: 'two-moons', count: 100_000, seed: 1 });
    const before = server.rssMb();
    const reader = await openRaw(server);
    const memory: number[] = [];
    const latencies: number[] = [];
    let sent = 0;
    let running = true;
    const end = Date.now() + durationMs;

    // the reader asks for a 100,000-point set (about 1 MB) five times a second and reads 256 KB a second
    const asking = setInterval(() => {
      reader.socket.write(callFrame(nextId(), 'datasets.generate', { id: 'two-moons', count: 100_000, seed: sent++ }));
    }, 200);
    const reading = setInterval(() => reader.read(readBytesPerSecond / 10), 100);
    const watching = setInterval(() => memory.push(server.rssMb()), 1000);
    // another client samples all along, so events stream to the reader too
    const sampling = (async () => {
      for (let i = 0; running; i++) {
        const { ms } = await callOn(busy, 'sampling.run', { id: `busy-${i}`, model: oracle, sampler: 'euler', steps: 50, n: 2000, seed: i });
        latencies.push(ms);
      }
    })();
    while (Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    running = false;
    clearInterval(asking);
    clearInterval(reading);
    clearInterval(watching);
    await sampling;
    const info = await callOn(quiet, 'app.info', {});
    const replies = reader.received.texts.filter((t) => t.startsWith('{"id":')).length;
    const events = reader.received.texts.filter((t) => t.startsWith('{"event":')).length;
    const half = Math.floor(memory.length / 2);
    const firstHalf = Math.max(...memory.slice(0, half));
    const secondHalf = Math.max(...memory.slice(half));
    figure(
      'slow reader',
      `${(durationMs / 1000).toFixed(0)} s reading ${readBytesPerSecond / 1024} KB/s: asked ${sent} calls of ~1 MB replies, read ${(reader.received.bytes / 1024 / 1024).toFixed(1)} MB (${replies} replies, ${events} events); ` +
        `server memory ${round(before)} MB -> highest ${round(Math.max(...memory))} MB (first half ${round(firstHalf)}, second half ${round(secondHalf)}), last ${round(memory[memory.length - 1])} MB; ` +
        `another client's sampling p50 ${round(quantile(latencies, 0.5))} ms, max ${round(Math.max(...latencies))} ms over ${latencies.length} runs; app.info after ${round(info.ms)} ms`,
    );
    expect(replies).toBeGreaterThan(0);
    expect(Math.max(...memory) - before).toBeLessThan(300);
    // no steady growth: the second half of the run holds no more than the first did, give or take
    if (SOAK) expect(secondHalf).toBeLessThan(firstHalf + 50);
    expect(info.frame.ok).toBe(true);
    reader.socket.destroy();
    busy.close();
    quiet.close();
  });
});
