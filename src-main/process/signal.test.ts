// signalProcess refuses every pid but a positive integer one of a process this one started, and signals those it accepts.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isDescendant, signalProcess } from './signal';

describe('signalProcess', () => {
  it.each([undefined, null, 0, -1, -1234, 1.5, Number.NaN, '123', 2 ** 60])('refuses %s', (pid) => {
    expect(() => signalProcess(pid, 'SIGTERM')).toThrow(/refusing to signal pid .*not a positive integer pid/);
  });

  it('refuses this process itself and a process it did not start', () => {
    expect(() => signalProcess(process.pid, 'SIGTERM')).toThrow(/that is this process/);
    expect(() => signalProcess(1, 'SIGTERM')).toThrow(/not a process this one started/);
    if (process.ppid > 1) expect(() => signalProcess(process.ppid, 'SIGTERM')).toThrow(/not a process this one started/);
  });

  it.runIf(process.platform !== 'win32')('signals its own child, and refuses the pid once the child is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid;
    expect(pid).toBeGreaterThan(0);
    expect(isDescendant(pid!)).toBe(true);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    signalProcess(pid, 'SIGKILL');
    expect(await exit).toBe('SIGKILL');
    expect(() => signalProcess(pid, 'SIGKILL')).toThrow(/not a process this one started/);
  });

  it.runIf(process.platform !== 'win32')('signals the group a detached child leads', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    signalProcess(child.pid, 'SIGTERM', { group: true });
    expect(await exit).toBe('SIGTERM');
  });
});
