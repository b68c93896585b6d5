// The `train` command: a run at an explicit folder, progress lines, Ctrl-C pausing with a checkpoint, --resume to the end.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetrics, readRunRecord } from '../../src-main/runs';
import { latestCheckpoint, requireWorker, smallConfig, tempWorkspace, until } from './helpers';
import { signalProcess } from '../../src-main/process';

const CLI = resolve('out/main/cli.js');

/** Starts the CLI in its own process group (as a terminal would) and collects its output. */
function runCli(args: string[]): { pid: number; stderr: () => string; stdout: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { pid: child.pid ?? -1, stderr: () => err, stdout: () => out, done };
}

describe('train command', () => {
  it('trains into --out, pauses on Ctrl-C with a checkpoint and continues with --resume', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    const configPath = join(ws, 'config.json');
    await writeFile(configPath, JSON.stringify(smallConfig({ steps: 8000, checkpointEvery: 5000 })));
    const out = join(ws, 'my-run');
    const first = runCli(['train', '--config', configPath, '--out', out, '--every', '100']);
    await until(() => /step \d+\/8000 .*steps\/s/.test(first.stderr()), 20_000, 'a progress line');
    signalProcess(first.pid, 'SIGINT', { group: true }); // the whole group, as Ctrl-C in a terminal: the worker ignores it, the CLI pauses
    expect(await first.done).toBe(130);
    expect(first.stderr()).toMatch(/continue with: diffusion-studio train --resume --out/);
    const paused = await readRunRecord(out);
    expect(paused.status).toBe('paused');
    expect(paused.lastStep).toBeGreaterThan(0);
    expect(paused.lastStep).toBeLessThan(8000);
    expect((await latestCheckpoint(out)).step).toBe(paused.lastStep);
    expect(JSON.parse(first.stdout().trim())).toMatchObject({ status: 'paused', lastStep: paused.lastStep });

    const second = runCli(['train', '--resume', '--out', out, '--every', '5000']);
    expect(await second.done).toBe(0);
    expect(second.stderr()).toMatch(new RegExp(`from step ${paused.lastStep} of 8000`));
    expect((await readRunRecord(out)).status).toBe('completed');
    expect((await readMetrics(out)).total).toBe(8000);
  }, 60_000);

  it('refuses a bad config with the field named and a non-empty --out without --resume', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    const configPath = join(ws, 'bad.json');
    await writeFile(configPath, JSON.stringify({ steps: 0 }));
    const bad = runCli(['train', '--config', configPath, '--out', join(ws, 'r')]);
    expect(await bad.done).not.toBe(0);
    expect(bad.stderr()).toMatch(/steps/);
    const good = join(ws, 'good.json');
    await writeFile(good, JSON.stringify(smallConfig()));
    const busy = runCli(['train', '--config', good, '--out', ws]);
    expect(await busy.done).not.toBe(0);
    expect(busy.stderr()).toMatch(/is not empty: pass --resume/);
  });
});
