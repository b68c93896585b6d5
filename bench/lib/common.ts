// Shared pieces of the benches: workload W's network and batches, medians and spreads, load, timing windows, PyTorch's thread settings and its children.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../src-core/data';
import { buildMlp } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { OptimiserSettings, TrainBatch } from '../../src-core/training/backend';
import { heavyWorkEnv } from '../../src-main/process/allocator-env';
import { blasKernel } from './blas-kernel';

/** The bench folder. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Debian's Python, which has python3-torch where it is installed. */
export const PYTHON = '/usr/bin/python3';
/** Hidden widths of workload W's MLP (3 -> 256 -> 256 -> 256 -> 2, SiLU). */
const HIDDEN = [256, 256, 256] as const;
/** Adam with lr 1e-3 as workload W trains; EMA on, no clipping (the PyTorch script does the same). */
export const ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.999 };

/** Workload W's network: MLP with a scalar time input, velocity output. */
export function referenceMlp(): ReturnType<typeof buildMlp> {
  return buildMlp({ dataDim: 2, hidden: [...HIDDEN], timeEmbedding: { kind: 'raw' } });
}

/** Matmul FLOPs of one network evaluation per row (bias, SiLU and concat add a few percent). */
export function flopsPerRow(): number {
  const widths = [3, ...HIDDEN, 2];
  return widths.slice(1).reduce((s, w, i) => s + 2 * widths[i] * w, 0);
}

/** Eight CFM batches (8 gaussians, noise at t = 1) drawn up front, so a timing is the step alone. */
export function cfmBatches(n: number, seed: number): TrainBatch[] {
  const rng = new Rng(seed);
  const pool = generateDataset('eight-gaussians', { count: 8192, seed: 3 }).data;
  return Array.from({ length: 8 }, () => {
    const b = { n, xt: new Float32Array(2 * n), t: new Float32Array(n), target: new Float32Array(2 * n), weight: new Float32Array(n).fill(1) };
    for (let i = 0; i < n; i++) {
      const k = rng.int(pool.length / 2);
      const t = rng.uniform();
      b.t[i] = t;
      for (let j = 0; j < 2; j++) {
        const eps = rng.normal();
        b.xt[2 * i + j] = (1 - t) * pool[2 * k + j] + t * eps;
        b.target[2 * i + j] = eps - pool[2 * k + j];
      }
    }
    return b;
  });
}

/** The median (upper middle for an even count); NaN for none. */
export function median(a: readonly number[]): number {
  if (a.length === 0) return Number.NaN;
  return [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
}

/** The 1-, 5- and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a, b, c];
}

/** Runs `step` after `warmup` calls for at least `seconds` (and at least `minSteps` calls); returns calls per second and the time spent. */
export async function rateOver(step: (k: number) => Promise<unknown>, seconds: number, warmup: number, minSteps = 1): Promise<{ rate: number; spent: number }> {
  const t0 = performance.now();
  for (let i = 0; i < warmup; i++) await step(i);
  const start = performance.now();
  let k = 0;
  while (k < minSteps || performance.now() - start < seconds * 1000) await step(k++);
  const end = performance.now();
  return { rate: k / ((end - start) / 1000), spent: (end - t0) / 1000 };
}

/** Why PyTorch cannot run here, or null when /usr/bin/python3 imports torch. */
export function torchMissing(disabled: boolean): string | null {
  if (disabled) return 'PyTorch skipped (--no-torch)';
  if (!existsSync(PYTHON)) return `PyTorch skipped: ${PYTHON} is absent`;
  if (spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) return `PyTorch skipped: ${PYTHON} cannot import torch (apt-get install python3-torch)`;
  return null;
}

/** A PyTorch thread setting: torch's intra-op threads (OpenMP's too) and OpenBLAS's own pool, which torch.set_num_threads does not reach. */
export interface TorchSetting {
  readonly torch: number;
  readonly blas: number;
}

/** The settings PyTorch runs in; the reference of a column is the fastest of them. */
export const TORCH_SETTINGS: readonly TorchSetting[] = [
  { torch: 1, blas: 1 },
  { torch: 2, blas: 1 },
  { torch: 1, blas: 2 },
];

/** A setting's key in tables of samples, e.g. 'torch-t2b1'. */
export const torchKey = (s: TorchSetting): string => `torch-t${s.torch}b${s.blas}`;
/** A setting as the report names it. */
export const torchLabel = (s: TorchSetting): string => `torch ${s.torch} / BLAS ${s.blas} thread${s.blas > 1 ? 's' : ''}`;

/** `env` with OPENBLAS_CORETYPE naming the fastest kernel set blasKernel found, or without it where OpenBLAS's own pick was fastest. */
function withCoretype(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _inherited, ...rest } = env;
  const coretype = blasKernel(PYTHON).coretype;
  return coretype === null ? rest : { ...rest, OPENBLAS_CORETYPE: coretype };
}

/** The environment and arguments that give a PyTorch child the setting: OpenBLAS, OpenMP and glibc's malloc read the environment when they load. */
export function torchChild(setting: TorchSetting): { env: NodeJS.ProcessEnv; args: string[] } {
  return {
    // the studio's workers' allocator settings too: left to glibc's defaults, PyTorch's step maps and faults in fresh pages for every tensor
    env: heavyWorkEnv(withCoretype({ ...process.env, OPENBLAS_NUM_THREADS: String(setting.blas), OMP_NUM_THREADS: String(setting.torch) })),
    args: ['--threads', String(setting.torch), '--blas-threads', String(setting.blas)],
  };
}

/**
 * Runs a PyTorch script of the bench in a thread setting and returns its stdout's JSON lines after the first, which
 * must report the setting's pools; throws with its stderr when it fails.
 */
export function torchJson(script: string, args: readonly string[], setting: TorchSetting): Record<string, unknown>[] {
  const child = torchChild(setting);
  const r = spawnSync(PYTHON, [join(BENCH_DIR, script), ...child.args, ...args], { encoding: 'utf8', maxBuffer: 1 << 24, env: child.env });
  if (r.status !== 0) throw new Error(`${script} (${torchLabel(setting)}) ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const [head, ...rows] = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  // blas_threads is null where the BLAS is not OpenBLAS: its pool cannot be read back then
  if (head?.threads !== setting.torch || (head.blas_threads !== null && head.blas_threads !== setting.blas)) {
    throw new Error(`${script} ran torch ${String(head?.threads)} / BLAS ${String(head?.blas_threads)} threads where ${torchLabel(setting)} was asked`);
  }
  return rows;
}

/** Median, min and max of a cell, e.g. '188 (179-207)'; the value alone for one round, '-' for none. */
export function spread(a: readonly number[], unit = ''): string {
  if (a.length === 0) return '-';
  const sorted = [...a].sort((x, y) => x - y);
  const m = `${fmt(median(a))}${unit}`;
  return a.length === 1 ? m : `${m} (${fmt(sorted[0])}-${fmt(sorted[sorted.length - 1])})`;
}

/** The 1-minute load under which a run counts as taken on an idle machine (2 cores: one busy core already slows the 2-thread paths). */
export const IDLE_LOAD = 1.0;

/** Waits up to `seconds` for the 1-minute load to fall below IDLE_LOAD, checking every 5 s; returns the seconds waited. */
export async function waitForIdle(seconds: number): Promise<number> {
  const t0 = performance.now();
  const waited = () => (performance.now() - t0) / 1000;
  while (loadAverage()[0] >= IDLE_LOAD && waited() < seconds) {
    process.stderr.write(`waiting for the load to fall below ${IDLE_LOAD.toFixed(1)}: ${loadAverage()[0].toFixed(2)} after ${waited().toFixed(0)} s\n`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(0, seconds - waited()) * 1000)));
  }
  return waited();
}

/** A number with about three significant digits. */
export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}
