// The built command line as the CLI tests run it: one call and its exit, stdout and stderr; a refusal in one line.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** The built command line (npm run build makes it). */
export const CLI = 'out/main/cli.js';

/** Runs the built command line with the arguments; its exit code, stdout and stderr. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A failure: non-zero exit, exactly one line on stderr matching the message, no stack trace. */
export function fails(message: RegExp, ...args: string[]): void {
  const r = cli(...args);
  expect(r.code, r.err).not.toBe(0);
  const lines = r.err.trim().split('\n');
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /);
}
