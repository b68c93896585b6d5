// Part (b): one timed run of each sampling job per path: the sampling process, ONNX sampler graph, tfjs wasm, PyTorch.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initParams } from '../../src-core/graph';
import { studioMetadata, type StudioModelMeta } from '../../src-core/onnx/studio-format';
import { writeOnnx } from '../../src-core/onnx/writer';
import { Rng } from '../../src-core/rng';
import { sample } from '../../src-core/sampling';
import { createSchedule } from '../../src-core/schedules';
import { tfjsModel, type TfjsModel } from '../../src-core/training/tfjs/tfjs-model';
import { buildSamplerGraph } from '../../src-core/onnx/sampler-graph';
import { createSession, type Session } from '../../src-main/ort/ort-session';
import { createChildProcessRunner } from '../../src-main/sampling/child-runner';
import { SamplingService } from '../../src-main/sampling/sampling-service';
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
function benchNoise(n: number): Float32Array<ArrayBuffer> {
  return new Rng(2).fillNormal(new Float32Array(n * 2));
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** The built sampling process (npm run build makes it). */
const SAMPLING_WORKER = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'sampling-worker.js');

/**
 * What the studio runs: each job one sampling.run request to the sampling process (out/main/sampling-worker.js), whose
 * loop drives ONNX Runtime beside its session; the time runs from the request to the samples back in this process.
 */
export function onnxLoopPath(threads: number, n: number, dir: string): SamplePath {
  const noise = benchNoise(n);
  const model = { kind: 'onnx' as const, path: join(dir, 'reference.onnx') };
  let service: SamplingService | null = null;
  const run = (s: SamplingService, j: SampleJob) => s.run({ model, sampler: j.sampler, steps: j.steps, grid: 'uniform', noise });
  return {
    key: `onnx-loop-${threads}`,
    label: `sampling process (ONNX Runtime), ${threads} thread${threads > 1 ? 's' : ''}`,
    async setup() {
      if (!existsSync(SAMPLING_WORKER)) throw new Error(`the sampling bench runs the built sampling process: ${SAMPLING_WORKER} is missing; run npm run build first`);
      writeFileSync(model.path, writeOnnx(mlp.graph, params, { metadata: studioMetadata(META) }));
      service = new SamplingService(null, createChildProcessRunner({ workerPath: SAMPLING_WORKER, threads }));
      await run(service, { sampler: 'euler', steps: 2 }); // starts the process, opens the session, grows its arena
    },
    async round(jobs) {
      const out = new Map<string, number>();
      for (const j of jobs) out.set(jobKey(j), await timed(() => run(service as SamplingService, j)));
      return out;
    },
    close: async () => void (await service?.close()),
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
