// Shared pieces of the benches: workload W's network and batches, medians, load, timing windows and the PyTorch probe.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../src-core/data';
import { buildMlp } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { OptimiserSettings, TrainBatch } from '../../src-core/training/backend';

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

/** Runs a Python script and returns its stdout's JSON lines; throws with its stderr when it fails. */
export function pythonJson(script: string, args: readonly string[]): Record<string, unknown>[] {
  const r = spawnSync(PYTHON, [join(BENCH_DIR, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A number with about three significant digits. */
export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}
