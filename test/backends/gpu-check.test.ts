// `npm run gpu-check` where the GPU provider does not run (this machine): ONNX Runtime's reason, the fix, and a failing exit, never numbers.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cudaProviderInstalled } from '../../src-main/ort/ort-session';

const ROOT = join(__dirname, '..', '..');
const run = (...args: string[]) => spawnSync(join(ROOT, 'node_modules', '.bin', 'jiti'), [join(ROOT, 'bench', 'gpu-check.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('gpu-check without a GPU provider', () => {
  it.runIf(!cudaProviderInstalled())('says the CUDA provider is absent, why and how to add it, and exits 2 without measuring', () => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("gpu-check: ONNX Runtime's CUDA provider does not run on this machine, so there is nothing to compare.");
    expect(r.stderr).toContain("why: ONNX Runtime's CUDA provider is not installed");
    expect(r.stderr).toContain('fix: Run npm run setup:cuda');
    expect(r.stdout).not.toMatch(/parity|steps\/s/);
  }, 60_000);

  it('refuses a provider it does not know', () => {
    const r = run('--provider', 'metal');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--provider must be cuda or webgpu/);
  }, 60_000);
});
