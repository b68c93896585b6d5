// A tfjs training backend against the compiled ONNX step: one run config drives both through the studio's trainer on the same batches, step by step.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Rng } from '../../src-core/rng';
import type { BackendProvider, BackendSpec, StepResult, TrainerState, TrainingBackend } from '../../src-core/training/backend';
import { parseTrainingConfig, type TrainingConfigInput } from '../../src-core/training/config';
import { writeDataset } from '../../src-main/datasets/dataset-folder';
import { createRun } from '../../src-main/runs';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { setupRun } from '../../src-main/training/run-setup';

/** Steps compared: enough for Adam's moments, the EMA and the warm-up to be past their first step. */
const PARITY_STEPS = 6;
const CLUSTERS = 8;
const POINTS = 1024;

/**
 * The run both backends train: a class-conditional residual MLP with the studio's sinusoidal time features (scale
 * 1000, so sin and cos see arguments up to 1000), label dropout (the null class), AdamW with weight decay, and a clip
 * that binds while the gradient norm is above 1.
 *
 * eps is 1e-3, not the default 1e-8: near g = 0 Adam's first update lr g / (|g| + eps) moves by lr / eps per unit of
 * gradient, so at 1e-8 a float32 rounding difference in a tiny gradient entry can flip that entry's whole step (2 lr),
 * while at 1e-3 a gradient difference d moves the parameter by at most lr d / eps = 10 d: parameters stay as
 * comparable as gradients, and a wrong gradient still shows in them.
 */
function parityConfig(dataId: string): TrainingConfigInput {
  return {
    data: { source: 'workspace', id: dataId },
    model: { family: 'mlp', hidden: [64, 64], timeEmbedding: { kind: 'sinusoidal', dim: 16 }, residual: true, classes: CLUSTERS, labelDropout: 0.25 },
    steps: PARITY_STEPS, batchSize: 128, seed: 7, emaDecay: 0.9, checkpointEvery: 1000,
    optimiser: { kind: 'adamw', lr: 1e-2, eps: 1e-3, weightDecay: 0.01, warmupSteps: 2, gradClip: 1 },
  };
}

/** Saves POINTS labelled 2-D points (eight clusters on a circle, the label is the cluster) as a workspace data set. */
async function saveLabelledPoints(workspace: string): Promise<string> {
  const rng = new Rng(21);
  const data = new Float32Array(POINTS * 2);
  const labels = new Int32Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    const k = rng.int(CLUSTERS);
    const angle = (2 * Math.PI * k) / CLUSTERS;
    data[2 * i] = 2 * Math.cos(angle) + 0.2 * rng.normal();
    data[2 * i + 1] = 2 * Math.sin(angle) + 0.2 * rng.normal();
    labels[i] = k;
  }
  const id = 'parity-points';
  const classes = Array.from({ length: CLUSTERS }, (_, k) => `cluster ${k}`);
  await writeDataset(workspace, { id, name: 'parity points', source: { id: 'eight-gaussians', count: POINTS, seed: 21 }, shape: [POINTS, 2], createdAt: new Date(0).toISOString(), classes }, data, labels);
  return id;
}

/** What the comparison measured: the worst relative differences over the steps and in the final state. */
interface ParityFigures {
  readonly backend: string;
  readonly device: string;
  /** max over steps of |loss - reference| / reference. */
  readonly loss: number;
  /** max over steps of |gradNorm - reference| / reference. */
  readonly gradNorm: number;
  /** Whether the clip bound on some step (a gradient norm above 1), so the clipped path was compared too. */
  readonly clipped: boolean;
  /** max |a - b| / max |b| of the parameter change from the start, and of m, v and the EMA's change. */
  readonly update: number;
  readonly m: number;
  readonly v: number;
  readonly ema: number;
}

/** Largest |a - b| over the largest |b| (0 when both are 0). */
function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

const minus = (a: Float32Array, b: Float32Array): Float64Array => Float64Array.from(a, (x, i) => x - b[i]);

/**
 * A backend that steps the backend under test and the reference on every batch the trainer builds (before the trainer
 * may reuse its buffers), recording both results; the trainer sees the reference's.
 */
function tee(reference: TrainingBackend, tested: TrainingBackend, log: { ref: StepResult; got: StepResult }[]): TrainingBackend {
  return {
    name: reference.name,
    device: reference.device,
    async step(batch, lr) {
      const got = await tested.step(batch, lr);
      const ref = await reference.step(batch, lr);
      log.push({ ref, got });
      return ref;
    },
    readState: () => reference.readState(),
    writeState: (s) => reference.writeState(s),
    predict: (...args) => reference.predict(...args),
    dispose() {
      reference.dispose();
      tested.dispose();
    },
  };
}

/**
 * Trains parityConfig for PARITY_STEPS steps through setupRun and the trainer: the provider's backend and the compiled
 * ONNX step on ONNX Runtime's CPU provider with one thread (the fixed reference, whatever GPU the machine has) get
 * the same state and the same batches. Returns the worst differences.
 */
export async function measureParity(provider: BackendProvider): Promise<ParityFigures> {
  const workspace = await mkdtemp(join(tmpdir(), 'ds-parity-'));
  let backends: { reference: TrainingBackend; tested: TrainingBackend; start: TrainerState } | null = null;
  const log: { ref: StepResult; got: StepResult }[] = [];
  try {
    const dataId = await saveLabelledPoints(workspace);
    const { dir } = await createRun(workspace, parseTrainingConfig(parityConfig(dataId)));
    const setup = await setupRun(dir, async (_preference, spec: BackendSpec) => {
      const reference = await createOnnxruntimeBackend(spec, { threads: 1, provider: 'cpu' });
      let tested: TrainingBackend;
      try {
        tested = await provider.create(spec);
      } catch (err) {
        reference.dispose();
        throw err;
      }
      const start = { ...spec.state, params: spec.state.params.slice(), ema: spec.state.ema.slice() };
      backends = { reference, tested, start };
      const backend = tee(reference, tested, log);
      return { backend, decision: { name: backend.name, device: backend.device, how: 'forced', tried: [] } };
    }, { workspace });
    try {
      while (!setup.trainer.done) await setup.trainer.runStep();
      const b = backends as unknown as { reference: TrainingBackend; tested: TrainingBackend; start: TrainerState };
      const ref = await b.reference.readState();
      const got = await b.tested.readState();
      expect(got.step).toBe(PARITY_STEPS);
      expect(ref.step).toBe(PARITY_STEPS);
      expect(log).toHaveLength(PARITY_STEPS);
      const worst = (f: (e: { ref: StepResult; got: StepResult }) => number) => Math.max(...log.map(f));
      return {
        backend: b.tested.name,
        device: b.tested.device,
        loss: worst((e) => Math.abs(e.got.loss - e.ref.loss) / e.ref.loss),
        gradNorm: worst((e) => Math.abs(e.got.gradNorm - e.ref.gradNorm) / e.ref.gradNorm),
        clipped: log.some((e) => e.ref.gradNorm > 1),
        update: relative(minus(got.params, b.start.params), minus(ref.params, b.start.params)),
        m: relative(got.m, ref.m),
        v: relative(got.v, ref.v),
        ema: relative(minus(got.ema, b.start.ema), minus(ref.ema, b.start.ema)),
      };
    } finally {
      setup.backend.dispose();
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/**
 * Bounds of the comparison. Both sides compute in float32 with their own summation orders and kernels; the worst
 * measured differences (cpu, wasm and ONNX Runtime on this machine) were about 1e-6 relative in the loss, the gradient
 * norm and the moments, and 1e-5 in the parameter and EMA changes, where Adam's division by sqrt(v) + eps amplifies
 * gradient differences by up to lr / eps = 10 (see parityConfig). Each bound sits a factor of 10 or more above that:
 * far below what a wrong gradient, a missed clip, a wrong bias correction or a skipped weight decay would give (1e-3
 * and up), and loose enough for another machine's BLAS or TensorFlow's kernels.
 */
export const PARITY_BOUNDS = { loss: 2e-5, gradNorm: 5e-5, update: 2e-4, m: 5e-5, v: 1e-4, ema: 2e-4 } as const;

/** Trains the provider's backend beside the compiled step and checks every figure against PARITY_BOUNDS. */
export async function expectParityWithCompiledStep(provider: BackendProvider): Promise<ParityFigures> {
  const f = await measureParity(provider);
  const shown = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toExponential(2)) : v]));
  console.info(`parity with the compiled step: ${JSON.stringify(shown)}`);
  expect(f.backend).toBe(provider.name);
  expect(f.clipped, 'the clip must bind on some step, so the clipped path is compared').toBe(true);
  for (const k of Object.keys(PARITY_BOUNDS) as (keyof typeof PARITY_BOUNDS)[]) expect(f[k], k).toBeLessThanOrEqual(PARITY_BOUNDS[k]);
  return f;
}
