// Part (b): one timed run of each sampling job per path: ONNX Runtime step loop, ONNX sampler graph, tfjs wasm, PyTorch.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParams } from '../../src-core/graph';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { tfjsModel, type TfjsModel } from '../../src-core/training/tfjs/tfjs-model';
import { buildSamplerGraph } from '../../src-core/onnx/sampler-graph';
import { createSession, type Session } from '../../src-main/ort/ort-session';
import { onnxModel } from '../../src-main/sampling/onnx-model';
import { createInProcessRunner, type OnnxModelHandle, type OnnxRunner } from '../../src-main/sampling/onnx-runner';
import { activateWasm } from '../../src-main/training/backends/wasm-backend';
import { referenceMlp, torchJson, torchKey, torchLabel, type TorchSetting } from './common';

/** A sampling job: sampler and step count. */
export interface SampleJob {
  readonly sampler: 'euler' | 'heun' | 'dpmpp-2m';
  readonly steps: number;
}

/** The jobs of the bench: 100 network evaluations for Euler and Heun, 20 for DPM-Solver++(2M). */
export const SAMPLE_JOBS: readonly SampleJob[] = [
  { sampler: 'euler', steps: 100 },
  { sampler: 'heun', steps: 50 },
  { sampler: 'dpmpp-2m', steps: 20 },
];

/** A job's key in tables, e.g. 'euler:100'. */
export const jobKey = (j: SampleJob): string => `${j.sampler}:${j.steps}`;
/** Network evaluations of a job. */
export const jobNfe = (j: SampleJob): number => (j.sampler === 'heun' ? 2 * j.steps : j.steps);

/** A sampling path: set up once, then one round runs every job it supports once and returns seconds per job key. */
export interface SamplePath {
  readonly key: string;
  readonly label: string;
  setup(): Promise<void>;
  round(jobs: readonly SampleJob[]): Promise<Map<string, number>>;
  close(): Promise<void>;
}

const META: StudioModelMeta = { parameterisation: 'velocity', schedule: { name: 'linear' }, dataShape: [2], normalisation: null, classes: null, runId: null, seed: null, studioVersion: null };
const mlp = referenceMlp();
const params = initParams(mlp.layout, new Rng(1));

/** Standard-normal noise of n points, the same for every path. */
function benchNoise(n: number): Float32Array {
  return new Rng(2).fillNormal(new Float32Array(n * 2));
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** The engine's samplers fed by ONNX Runtime one evaluation at a time (the in-process runner the sampling worker uses). */
export function onnxLoopPath(threads: number, n: number, dir: string): SamplePath {
  const noise = benchNoise(n);
  let runner: OnnxRunner | null = null;
  let handle: OnnxModelHandle | null = null;
  return {
    key: `onnx-loop-${threads}`,
    label: `ONNX Runtime step loop, ${threads} thread${threads > 1 ? 's' : ''}`,
    async setup() {
      const path = join(dir, 'reference.onnx');
      writeFileSync(path, writeOnnx(mlp.graph, params, { metadata: studioMetadata(META) }));
      runner = createInProcessRunner({ threads });
      handle = await runner.open(path);
      await sample('euler', onnxModel(runner, handle), { data: noise.slice(), shape: [n, 2] }, { grid: { name: 'uniform', steps: 2 } });
    },
    async round(jobs) {
      const out = new Map<string, number>();
      const model = onnxModel(runner as OnnxRunner, handle as OnnxModelHandle);
      for (const j of jobs) out.set(jobKey(j), await timed(() => sample(j.sampler, model, { data: noise.slice(), shape: [n, 2] }, { grid: { name: 'uniform', steps: j.steps } })));
      return out;
    },
    close: async () => void (await runner?.close()),
  };
}

/** The self-contained sampler graph (Euler or Heun unrolled, one session run per sample). */
export function samplerGraphPath(threads: number, n: number): SamplePath {
  const noise = benchNoise(n);
  const sessions = new Map<string, Session>();
  return {
    key: `onnx-graph-${threads}`,
    label: `ONNX sampler graph (unrolled), ${threads} thread${threads > 1 ? 's' : ''}`,
    async setup() {},
    async round(jobs) {
      const out = new Map<string, number>();
      for (const j of jobs) {
        if (j.sampler === 'dpmpp-2m') continue;
        let session = sessions.get(jobKey(j));
        const feeds = { noise: { type: 'float32' as const, data: noise, dims: [n, 2] } };
        if (!session) {
          session = await createSession(writeOnnx(buildSamplerGraph(mlp.graph, META, { sampler: j.sampler, steps: j.steps }), params), { threads });
          sessions.set(jobKey(j), session);
          await session.run(feeds); // warm-up: the arena grows to its size on the first run
        }
        const s = session;
        out.set(jobKey(j), await timed(() => s.run(feeds)));
      }
      return out;
    },
    async close() {
      for (const s of sessions.values()) await s.release();
    },
  };
}

/** The engine's samplers fed by tfjs on its wasm backend (SIMD, one thread under Node). */
export function tfjsWasmPath(n: number): SamplePath {
  const noise = benchNoise(n);
  let model: TfjsModel | null = null;
  return {
    key: 'tfjs-wasm',
    label: 'tfjs wasm step loop',
    async setup() {
      await activateWasm();
      model = tfjsModel(mlp.graph, params, META.parameterisation, createSchedule(META.schedule));
      await sample('euler', model, { data: noise.slice(), shape: [n, 2] }, { grid: { name: 'uniform', steps: 2 } });
    },
    async round(jobs) {
      await activateWasm();
      const out = new Map<string, number>();
      const m = model as TfjsModel;
      for (const j of jobs) out.set(jobKey(j), await timed(() => sample(j.sampler, m, { data: noise.slice(), shape: [n, 2] }, { grid: { name: 'uniform', steps: j.steps } })));
      return out;
    },
    close: async () => model?.dispose(),
  };
}

/** Seconds per job key of one bench/torch_sample.py process in a thread setting (every job once, after a warm-up). */
export function torchSampleTimes(setting: TorchSetting, n: number, jobs: readonly SampleJob[]): Map<string, number> {
  const rows = torchJson('torch_sample.py', ['--n', String(n), '--jobs', jobs.map(jobKey).join(',')], setting);
  const out = new Map<string, number>();
  for (const r of rows) if (typeof r.job === 'string' && typeof r.seconds === 'number') out.set(r.job, r.seconds);
  return out;
}

/** bench/torch_sample.py in a thread setting: one process per round runs every job once after a warm-up. */
export function torchSamplePath(setting: TorchSetting, n: number): SamplePath {
  return {
    key: torchKey(setting),
    label: `PyTorch, ${torchLabel(setting)}`,
    async setup() {},
    round: async (jobs) => torchSampleTimes(setting, n, jobs),
    async close() {},
  };
}
