// The Lab's computations in their own process (the built lab-worker): they run in a child of this process, stream progress,
// stop on cancel, and the process ends when the service closes; a run after a crash starts a fresh process.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-core/api/event-hub';
import { StudioError } from '../../src-core/errors';
import { signalProcess } from '../../src-main/process';
import { LabService } from '../../src-main/lab/lab-service';
import { checkLabWorker, LAB_WORKER } from './lab-studio';

/** Pids of this process's children running the Lab worker (read from /proc). */
function labChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('lab-worker.js')) out.push(Number(entry));
    } catch {
      // a process that ended while we looked
    }
  }
  return out;
}

const longRun = { schedule: { name: 'vp-linear' }, data: { id: 'two-moons' }, particles: 5000, steps: 10_000, snapshots: 101 };

describe('the Lab process', () => {
  let service: LabService | null = null;
  afterEach(async () => {
    await service?.close();
    service = null;
  });

  it('computes in a child process with progress, and the child ends with the service', async () => {
    checkLabWorker();
    const events = new EventHub();
    const progress: number[] = [];
    events.on('lab.progress', (p) => progress.push(p.done));
    service = new LabService(events, { workerPath: LAB_WORKER });
    let during: number[] = [];
    const off = events.on('lab.progress', () => {
      if (during.length === 0) during = labChildren();
    });
    const r = await service.run('processes', { id: 'child', params: { paths: 2000, steps: 400 } });
    off();
    expect(during).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(0);
    expect((r.result as { paths: Float32Array }).paths).toBeInstanceOf(Float32Array);
    await service.close();
    service = null;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(labChildren()).toEqual([]);
  });

  it('stops a computation in the child on cancel, and the child serves the next run', async () => {
    checkLabWorker();
    const events = new EventHub();
    service = new LabService(events, { workerPath: LAB_WORKER });
    const s = service;
    const off = events.on('lab.progress', (p) => {
      if (p.id === 'long') s.cancel('long');
    });
    const started = performance.now();
    const err = await s.run('forwardSde', { id: 'long', params: longRun }).catch((e: unknown) => e);
    off();
    expect((err as StudioError).code).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(5000);
    const pids = labChildren();
    expect(pids).toHaveLength(1);
    await s.run('processes', { params: { paths: 100, steps: 10 } });
    expect(labChildren()).toEqual(pids);
  });

  it('fails the run in flight when the child dies, then starts a fresh child', async () => {
    checkLabWorker();
    const events = new EventHub();
    service = new LabService(events, { workerPath: LAB_WORKER });
    const s = service;
    let killed: number | null = null;
    const off = events.on('lab.progress', () => {
      if (killed !== null) return;
      [killed] = labChildren();
      signalProcess(killed, 'SIGKILL');
    });
    const err = await s.run('forwardSde', { params: longRun }).catch((e: unknown) => e);
    off();
    expect((err as StudioError).code).toBe('internal');
    expect((err as StudioError).message).toMatch(/Lab's process .*next run starts a new one/);
    const r = await s.run('processes', { params: { paths: 100, steps: 10 } });
    expect(r.result).toBeTruthy();
    const now = labChildren();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(killed);
  });

  it('cancels a computation inside a long Sinkhorn solve in time, so its process lives on', async () => {
    checkLabWorker();
    const events = new EventHub();
    service = new LabService(events, { workerPath: LAB_WORKER });
    const s = service;
    // at s = 0.02 the one plan over 1024 points takes many seconds of sweeps, far past the 3 s a cancel may take
    const run = s.run('sbTransport', { id: 'plan', params: { sValues: [0.02], planPoints: 1024, steps: 25 } }).catch((e: unknown) => e);
    await new Promise<void>((resolve) => {
      const off = events.on('lab.progress', (p) => {
        if (p.id === 'plan' && p.done > 0) {
          off();
          resolve();
        }
      });
    });
    const pids = labChildren();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancelled = performance.now();
    s.cancel('plan');
    const err = await run;
    expect((err as StudioError).code).toBe('cancelled');
    expect(performance.now() - cancelled).toBeLessThan(2000);
    await s.run('processes', { params: { paths: 100, steps: 10 } });
    expect(labChildren()).toEqual(pids);
  });
});
