// Test helpers: run an exported model with onnxruntime-node and run ONNX's own checker through Debian's python3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../src-core/graph';

/** Runs ONNX bytes on named IR tensors and returns the named outputs as float32 arrays. */
export async function runOrt(bytes: Uint8Array, feeds: Readonly<Record<string, Tensor>>, threads = 1): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype, t.data, [...t.shape]);
    const out = await session.run(ortFeeds);
    const result: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(out)) result[name] = t.data as Float32Array;
    return result;
  } finally {
    await session.release();
  }
}

const PYTHON = '/usr/bin/python3';

/** Runs onnx.checker.check_model(full_check=True) on the bytes; returns its exit status and stderr. */
export function runOnnxChecker(bytes: Uint8Array, name: string): { ok: boolean; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'studio-onnx-'));
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, bytes);
  const code = 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)';
  const r = spawnSync(PYTHON, ['-c', code, file], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
