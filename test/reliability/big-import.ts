// Pieces of the big-import test: a large CSV written in blocks with values a test can recompute, and the import process of a server found and measured through /proc.
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';

/** Columns of the big CSV. */
export const BIG_COLUMNS = 6;

/** The text of the value at row i, column j: a hashed number in [-100, 100) with 12 decimals (about 16 characters). */
export function cellText(i: number, j: number): string {
  const h = Math.sin(i * 12.9898 + j * 78.233 + 0.5) * 43758.5453;
  return ((h - Math.floor(h)) * 200 - 100).toFixed(12);
}

/** Writes a CSV of a header and `rows` rows of BIG_COLUMNS numbers, a block of rows at a time; returns its size in bytes. */
export function writeBigCsv(path: string, rows: number): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    const header = Array.from({ length: BIG_COLUMNS }, (_, j) => `c${j}`).join(',') + '\n';
    bytes += writeSync(fd, header);
    const BLOCK = 20_000;
    for (let start = 0; start < rows; start += BLOCK) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + BLOCK); i++) {
        const cells: string[] = [];
        for (let j = 0; j < BIG_COLUMNS; j++) cells.push(cellText(i, j));
        lines.push(cells.join(','));
      }
      bytes += writeSync(fd, lines.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Child processes of pid whose command line names the import worker (found by the parent pid in /proc/<pid>/stat). */
export function importWorkers(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the fields after the command name (which may hold spaces) in parentheses: state, then the parent pid
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('import-worker')) out.push(Number(name));
    } catch {
      // ended while we looked
    }
  }
  return out;
}

/** A process's peak resident memory so far (VmHWM) in MiB, or null once it has ended. */
function peakMib(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Follows the import processes of a server: polls their peak memory until stopped; the largest seen, with the pids. */
export function watchImportWorkers(serverPid: number, everyMs = 20): { stop(): { peakMib: number; pids: number[] } } {
  const peaks = new Map<number, number>();
  const poll = () => {
    for (const pid of importWorkers(serverPid)) {
      const p = peakMib(pid);
      if (p !== null) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, p));
    }
  };
  poll();
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakMib: Math.max(0, ...peaks.values()), pids: [...peaks.keys()] };
    },
  };
}
