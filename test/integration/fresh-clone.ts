// A fresh clone as a new user has it after `npm install` (the files git holds, the installed node_modules beside them, no build),
// and the README's start commands run in it in their own process group, stopped as Ctrl-C stops them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import { signalProcess } from '../../src-main/process';

const repo = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A copy of the files git holds (tracked, and new ones not ignored) with the installed node_modules linked beside them. */
export async function freshClone(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'studio-clone-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue; // deleted in the working tree, not yet committed
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(repo, file), join(dir, file));
  }
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment a user's shell has: no switch that skips the build. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { STUDIO_SKIP_BUILD: _skip, ...env } = process.env;
  return { ...env, ...extra };
}

/** A start command running: its output so far, the URL it printed, and its end. */
export interface StartedStudio {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly url: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops it as Ctrl-C in its terminal would: npm ends by its signal, the studio closes and frees its port. */
  stop(): Promise<void>;
}

/** Runs an npm command in a clone (e.g. ['start']) and waits for the URL and workspace lines it prints. */
export async function startInClone(cwd: string, args: readonly string[], workspace: string): Promise<StartedStudio> {
  const child = spawn(npm, [...args], { cwd, env: userEnv({ DIFFUSION_STUDIO_WORKSPACE: workspace }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 120 s; output so far:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      // the URL line, then the workspace line
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n(.|\n)*workspace: .*\n/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before printing a URL:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) signalProcess(child.pid, 'SIGINT', { group: true });
    const { code, signal } = await exit;
    expect(code === 0 || signal === 'SIGINT', `exit ${code ?? signal}`).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  };
  return { child, output: () => output, url, exit, stop };
}

/** Kills what is left of a start command's process group (a failed test's cleanup). */
export function killGroup(started: StartedStudio | undefined): void {
  const c = started?.child;
  if (c && c.exitCode === null && c.signalCode === null) signalProcess(c.pid, 'SIGKILL', { group: true });
}
