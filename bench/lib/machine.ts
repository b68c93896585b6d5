// What the bench ran on: CPU model, cores, memory, library versions and the BLAS each runtime uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname, totalmem } from 'node:os';
import { PYTHON } from './common';
import { spawnSync } from 'node:child_process';

/** A package's version from its package.json, or 'absent'. */
function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

/** The CPU's model name as /proc/cpuinfo gives it. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line ? line.split(':')[1].trim() : cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

/** The system BLAS that update-alternatives points libblas.so.3 at (what Debian's torch loads). */
function systemBlas(): string {
  const r = spawnSync('readlink', ['-f', '/usr/lib/x86_64-linux-gnu/libblas.so.3'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** Lines describing the machine and the software measured. */
export function machineLines(torch: { version: string; blas: string } | null): string[] {
  return [
    `- host: ${hostname()}; CPU: ${cpuModel()}, ${cpus().length} cores visible; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}; onnxruntime-node ${packageVersion('onnxruntime-node')} (its own MLAS kernels); @tensorflow/tfjs-core ${packageVersion('@tensorflow/tfjs-core')}, tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (XNNPACK), tfjs-backend-cpu ${packageVersion('@tensorflow/tfjs-backend-cpu')}`,
    torch
      ? `- PyTorch ${torch.version} (${PYTHON}); BLAS: ${torch.blas}; system libblas.so.3 -> ${systemBlas()}`
      : '- PyTorch: absent',
    `- allocator: GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? 'unset'} in the bench, its PyTorch children and the studio's workers (src-main/process/allocator-env.ts)`,
  ];
}

/** torch's version from Debian's Python and the BLAS libraries it maps after a matmul, or null. */
export function torchInfo(): { version: string; blas: string } | null {
  const script = [
    'import os, torch',
    'torch.mm(torch.ones(64, 64), torch.ones(64, 64))',
    "libs = sorted({os.path.realpath(l.split()[-1]) for l in open('/proc/self/maps') if 'blas' in os.path.basename(l.split()[-1]).lower() and l.split()[-1].startswith('/')})",
    "info = [s.strip() for s in torch.__config__.show().replace(',', '\\n').splitlines() if 'BLAS_INFO' in s]",
    "print(torch.__version__); print((info[0] if info else 'BLAS_INFO unknown') + '; loaded: ' + ', '.join(libs))",
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [version, blas] = r.stdout.trim().split('\n');
  return { version, blas: blas.replace(/^.*?BLAS_INFO/, 'BLAS_INFO') };
}
