// Part (a): one timed window of workload W's training step per path: the compiled ONNX step, tfjs wasm and cpu, PyTorch.
import { initParams } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import type { BackendSpec, TrainingBackend } from '../../src-core/training/backend';
import { TfjsTrainer } from '../../src-core/training/tfjs';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { activateCpu } from '../../src-main/training/backends/cpu-backend';
import { activateWasm } from '../../src-main/training/backends/wasm-backend';
import { ADAM, cfmBatches, rateOver, referenceMlp, torchJson, torchKey, torchLabel, type TorchSetting } from './common';

/** A training path of the bench. */
export interface TrainPath {
  readonly key: string;
  readonly label: string;
  /** Slow paths get one window per batch size once their time budget is spent. */
  readonly slow: boolean;
  /** steps/s of one window and the seconds it took with set-up and warm-up. */
  measure(batch: number, seconds: number): Promise<{ rate: number; spent: number }>;
}

function freshSpec(batch: number): BackendSpec {
  const model = referenceMlp();
  const params = initParams(model.layout, new Rng(1));
  const P = params.length;
  return { graph: model.graph, layout: model.layout, optimiser: ADAM, batchSize: batch, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } };
}

async function windowOf(backend: TrainingBackend, batch: number, seconds: number, warmup: number): Promise<{ rate: number; spent: number }> {
  const batches = cfmBatches(batch, 2);
  const t0 = performance.now();
  try {
    const r = await rateOver((k) => backend.step(batches[k % 8], 1e-3), seconds, warmup);
    return { rate: r.rate, spent: (performance.now() - t0) / 1000 };
  } finally {
    backend.dispose();
  }
}

/** Steps per ONNX Runtime run on the compiled path: the backend's steps(), as Trainer.runSteps calls it. */
const ONNX_STEPS_PER_RUN = 16;

/** The compiled training step on onnxruntime-node with the given intra-op threads, ONNX_STEPS_PER_RUN steps per run. */
export function onnxPath(threads: number): TrainPath {
  return {
    key: `onnx-${threads}`,
    label: `ONNX Runtime, compiled step, ${threads} thread${threads > 1 ? 's' : ''}, ${ONNX_STEPS_PER_RUN} steps per run`,
    slow: false,
    async measure(batch, seconds) {
      const t0 = performance.now();
      const backend = await createOnnxruntimeBackend(freshSpec(batch), { threads, provider: 'cpu', stepsPerRun: ONNX_STEPS_PER_RUN });
      const batches = cfmBatches(batch, 2);
      const lrs = new Array<number>(ONNX_STEPS_PER_RUN).fill(1e-3);
      let k = 0;
      try {
        const r = await rateOver(() => backend.steps(() => batches[k++ % 8], lrs), seconds, 1);
        return { rate: r.rate * ONNX_STEPS_PER_RUN, spent: (performance.now() - t0) / 1000 };
      } finally {
        backend.dispose();
      }
    },
  };
}

/** tfjs on its wasm or cpu backend, with the matMul gradient each backend uses in the studio. */
export function tfjsPath(engine: 'wasm' | 'cpu'): TrainPath {
  return {
    key: `tfjs-${engine}`,
    label: `tfjs ${engine}${engine === 'wasm' ? ' (SIMD, 1 thread)' : ''}`,
    slow: true,
    async measure(batch, seconds) {
      await (engine === 'cpu' ? activateCpu() : activateWasm());
      const trainer = new TfjsTrainer(freshSpec(batch), { name: engine, device: engine, matMulGradient: engine === 'wasm' ? 'custom' : 'tfjs' });
      return windowOf(trainer, batch, seconds, 1);
    },
  };
}

/** bench/torch_train_step.py in a thread setting (a fresh process per window; its own 5 warm-up steps). */
export function torchPath(setting: TorchSetting): TrainPath {
  return {
    key: torchKey(setting),
    label: `PyTorch, ${torchLabel(setting)}`,
    slow: false,
    async measure(batch, seconds) {
      const t0 = performance.now();
      const row = torchJson('torch_train_step.py', ['--batches', String(batch), '--seconds', String(seconds), '--repeats', '1'], setting)[0];
      if (typeof row?.steps_per_s !== 'number') throw new Error('torch_train_step.py printed no steps_per_s');
      return { rate: row.steps_per_s, spent: (performance.now() - t0) / 1000 };
    },
  };
}
