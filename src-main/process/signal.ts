// The one way to signal a process by pid: only a positive integer pid of a process this one started (or its descendant).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Pids started through the studio's own spawn helpers; Electron's utility processes are not always our children by ppid. */
const started = new Set<number>();

/** Records a pid this process started, so it may be signalled later. */
export function trackChild(pid: number | undefined): void {
  if (pid !== undefined && isPositivePid(pid)) started.add(pid);
}

/** Forgets a tracked pid once its process has ended (pids are reused). */
export function untrackChild(pid: number | undefined): void {
  if (pid !== undefined) started.delete(pid);
}

function isPositivePid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/** The parent pid of a live process, or null where it cannot be read (gone, or no way to ask). */
function parentOf(pid: number): number | null {
  try {
    if (process.platform === 'linux') {
      // /proc/<pid>/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return Number.isInteger(ppid) ? ppid : null;
    }
    if (process.platform === 'win32') return null;
    const out = execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const ppid = Number(out.trim());
    return out.trim() !== '' && Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** True when pid is a live descendant of this process. */
export function isDescendant(pid: number): boolean {
  let at = pid;
  for (let depth = 0; depth < 64; depth++) {
    const parent = parentOf(at);
    if (parent === null || parent <= 1) return false;
    if (parent === process.pid) return true;
    at = parent;
  }
  return false;
}

/**
 * Sends a signal to a process this one started; with group, to the process group it leads (started detached).
 * Throws on anything but a positive integer pid of our own child or descendant: process.kill(-1) or kill(0) would reach
 * every process the user may signal, and a stale pid may by now belong to someone else.
 */
export function signalProcess(pid: unknown, signal: NodeJS.Signals, options: { group?: boolean } = {}): void {
  if (!isPositivePid(pid)) throw new Error(`refusing to signal pid ${String(pid)}: not a positive integer pid`);
  if (pid === process.pid) throw new Error(`refusing to signal pid ${pid}: that is this process`);
  if (!started.has(pid) && !isDescendant(pid)) throw new Error(`refusing to signal pid ${pid}: not a process this one started`);
  process.kill(options.group ? -pid : pid, signal);
}
