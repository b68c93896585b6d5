// Out of memory: a run whose step cannot get its memory fails with a message that says so, the process ends, and the run stays readable.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunRecord } from '../../src-main/runs';
import { latestCheckpoint, requireWorker, tempWorkspace } from './helpers';

const CLI = resolve('out/main/cli.js');
// An address-space limit (KiB) the CLI and its worker inherit: Node and ONNX Runtime start under it, but one [batch, 512]
// float32 activation at batch 1,000,000 (2 GB) does not fit beside the rest.
const LIMIT_KIB = 4_000_000;

/** Runs `train` under the limit; resolves with the exit code and output once the CLI has ended. */
function trainLimited(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn('bash', ['-c', `ulimit -v ${LIMIT_KIB} && exec "$0" "$@"`, process.execPath, CLI, 'train', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stderr, stdout })));
}

describe('out of memory', () => {
  // onnxruntime: ORT's arena refuses the buffer; cpu: V8 refuses the ArrayBuffer (both before step 1 ends)
  it.each(['onnxruntime', 'cpu'])('is reported by a %s run, which ends instead of hanging and keeps its checkpoint', async (backend) => {
    requireWorker();
    const ws = await tempWorkspace();
    const configPath = join(ws, 'config.json');
    await writeFile(configPath, JSON.stringify({ model: { family: 'mlp', hidden: [512, 512] }, steps: 50, batchSize: 1_000_000, seed: 1 }));
    const out = join(ws, 'run');
    const { code, stderr, stdout } = await trainLimited(['--config', configPath, '--out', out, '--backend', backend]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/out of memory at step 1 \(.+\): use a smaller batch or model; the last good checkpoint is step 0/s);
    const record = await readRunRecord(out);
    expect(record.status).toBe('failed');
    expect(record.lastStep).toBe(0);
    expect(record.error).toMatch(/^out of memory at step 1 /);
    expect(JSON.parse(stdout.trim())).toMatchObject({ status: 'failed', error: record.error });
    // the initial checkpoint is whole: the run can be inspected, exported or retried from it
    const kept = await latestCheckpoint(out);
    expect(kept.step).toBe(0);
    expect(kept.weights.length).toBeGreaterThan(0);
    expect(kept.weights.every(Number.isFinite)).toBe(true);
  }, 60_000);

  it('names the reason when a backend cannot start for want of memory', async () => {
    requireWorker();
    const ws = await tempWorkspace();
    const configPath = join(ws, 'config.json');
    await writeFile(configPath, JSON.stringify({ model: { family: 'mlp', hidden: [16] }, steps: 5, batchSize: 8, seed: 1 }));
    // V8 reserves several GB of address space for each wasm memory: under the limit tfjs-wasm cannot start at all, and
    // the message carries the engine's own reason rather than only "did not start"
    const { code, stderr } = await trainLimited(['--config', configPath, '--out', join(ws, 'run'), '--backend', 'wasm']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/the 'wasm' backend, which cannot run here: .*did not start: .*Out of memory/);
  }, 60_000);
});
