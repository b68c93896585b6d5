// How a child process ended, and the sentence that tells a person.

/** A child's end: exit code, signal (plain Node) and, under Electron, the reason 'child-process-gone' gave. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Electron's reason: 'clean-exit', 'abnormal-exit', 'killed', 'crashed', 'oom', 'launch-failed', ... */
  readonly reason: string | null;
  /** The last lines the child wrote to stderr (a native abort or V8's out-of-memory report lands there). */
  readonly stderrTail: string;
}

/** True if the exit looks like an out-of-memory death (Electron's reason, or V8's fatal heap message). */
function isOutOfMemoryExit(exit: ChildExit): boolean {
  return exit.reason === 'oom' || /heap out of memory|Allocation failed|out of memory/i.test(exit.stderrTail);
}

/** 'was killed (SIGKILL)', 'ran out of memory', 'crashed (exit code 134)', ... */
export function describeExit(exit: ChildExit): string {
  if (isOutOfMemoryExit(exit)) return 'ran out of memory';
  if (exit.signal) return `was killed (${exit.signal})`;
  if (exit.reason === 'killed') return `was killed${exit.code !== null ? ` (exit code ${exit.code})` : ''}`;
  if (exit.reason && exit.reason !== 'clean-exit' && exit.reason !== 'abnormal-exit') return `${exit.reason === 'crashed' ? 'crashed' : `ended (${exit.reason})`}${exit.code !== null ? ` (exit code ${exit.code})` : ''}`;
  return exit.code === 0 ? 'exited' : `exited with code ${exit.code ?? 'unknown'}`;
}

/** The most telling line of a stderr tail: the last one naming an error, else the last non-empty one. */
export function lastErrorLine(stderrTail: string): string | null {
  const lines = stderrTail.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('at ') && l !== '^');
  const errors = lines.filter((l) => /error|fatal|abort/i.test(l));
  return errors.at(-1) ?? lines.at(-1) ?? null;
}
