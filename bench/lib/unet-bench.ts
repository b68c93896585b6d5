// The U-Net benches' network and optimiser from their command-line flags (1x28x28 images, channels, blocks, attention, classes) and the step's timed paths.
import { performance } from 'node:perf_hooks';
import { initParams } from '../../src-core/graph';
import { buildUnet, type UnetOptions } from '../../src-core/graph/families/unet';
import { Rng } from '../../src-core/rng';
import type { BackendSpec, OptimiserSettings, TrainBatch, TrainingBackend } from '../../src-core/training/backend';
import { TfjsTrainer } from '../../src-core/training/tfjs';
import { activateCpu } from '../../src-main/training/backends/cpu-backend';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { activateWasm } from '../../src-main/training/backends/wasm-backend';
import { TORCH_SETTINGS, median, torchJson, torchLabel, type TorchSetting } from './common';

/** A flag's value (`--name value`), or the fallback. */
export function flagValue(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** The benched U-Net: `--channels` (default 32,64), `--blocks` (1), `--attention` (levels, none), `--classes` (none). */
export function unetFromFlags(args: readonly string[]): UnetOptions {
  const attention = flagValue(args, 'attention', '');
  const classes = flagValue(args, 'classes', '');
  return {
    imageShape: [1, 28, 28],
    channels: flagValue(args, 'channels', '32,64').split(',').map(Number),
    resBlocksPerLevel: Number(flagValue(args, 'blocks', '1')),
    attentionLevels: attention === '' ? [] : attention.split(',').map(Number),
    groups: 8,
    timeEmbedding: { kind: 'sinusoidal', dim: 64, scale: 1000 },
    ...(classes === '' ? {} : { classes: Number(classes) }),
  };
}

/** Adam with clipping and an EMA, as the U-Net benches train. */
export const UNET_ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: 1, emaDecay: 0.999 };

/** A path measures one window: train steps/s and the median forward (sampling step) time in ms. */
type UnetMeasure = () => Promise<{ steps: number; forwardMs: number }>;

/**
 * The U-Net step's paths by key, each with its label: the compiled ONNX step at 1 and 2 threads (ort1, ort2), tfjs wasm and
 * cpu, and PyTorch's same network in its three thread settings (torch11, torch21, torch12).
 */
export function unetPaths(options: UnetOptions, n: number, seconds: number): Record<string, readonly [string, UnetMeasure]> {
  const model = buildUnet(options);
  const D = options.imageShape.reduce((a, b) => a * b, 1);
  /** Four seeded CFM-like batches (noise images standing in for data; the timing does not depend on the values). */
  function batches(): TrainBatch[] {
    const rng = new Rng(2);
    return Array.from({ length: 4 }, () => ({
      n,
      xt: rng.fillNormal(new Float32Array(n * D)),
      t: rng.fillUniform(new Float32Array(n)),
      target: rng.fillNormal(new Float32Array(n * D)),
      weight: new Float32Array(n).fill(1),
    }));
  }

  function spec(): BackendSpec {
    const params = initParams(model.layout, new Rng(1));
    const P = params.length;
    return { graph: model.graph, layout: model.layout, optimiser: UNET_ADAM, batchSize: n, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } };
  }

  /** Steps/s of one timed window (at least 2 steps, after 2 warm-up steps) and the median forward time in ms. */
  async function measure(backend: TrainingBackend): Promise<{ steps: number; forwardMs: number }> {
    const bs = batches();
    try {
      for (let i = 0; i < 2; i++) await backend.step(bs[i % 4], 1e-3);
      let k = 0;
      const start = performance.now();
      while (k < 2 || performance.now() - start < seconds * 1000) await backend.step(bs[k++ % 4], 1e-3);
      const steps = k / ((performance.now() - start) / 1000);
      const times: number[] = [];
      await backend.predict(bs[0].xt, bs[0].t, undefined, n, 'ema');
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await backend.predict(bs[i % 4].xt, bs[i % 4].t, undefined, n, 'ema');
        times.push(performance.now() - t0);
      }
      return { steps, forwardMs: median(times) };
    } finally {
      backend.dispose();
    }
  }

  const onBackend = (make: () => Promise<TrainingBackend>): UnetMeasure => async () => measure(await make());

  /** PyTorch's same network in a thread setting; its parameter count must equal the studio's layout, or it is another network. */
  function torchPath(setting: TorchSetting): UnetMeasure {
    return async () => {
      if ((options.attentionLevels ?? []).length > 0 || options.classes !== undefined) throw new Error('bench/torch_unet_step.py builds the U-Net without attention or classes');
      const [row] = torchJson('torch_unet_step.py', ['--batch', String(n), '--channels', options.channels.join(','), '--blocks', String(options.resBlocksPerLevel ?? 1), '--groups', String(options.groups), '--seconds', String(seconds)], setting);
      if (row?.parameters !== model.layout.size) throw new Error(`PyTorch's U-Net has ${String(row?.parameters)} parameters, the studio's ${model.layout.size}: not the same network`);
      return { steps: Number(row.steps_per_s), forwardMs: Number(row.forward_ms) };
    };
  }

  return {
    ort1: ['onnxruntime, 1 thread', onBackend(() => createOnnxruntimeBackend(spec(), { threads: 1, provider: 'cpu' }))],
    ort2: ['onnxruntime, 2 threads', onBackend(() => createOnnxruntimeBackend(spec(), { threads: 2, provider: 'cpu' }))],
    wasm: [
      'tfjs wasm',
      onBackend(async () => {
        await activateWasm();
        return new TfjsTrainer(spec(), { name: 'wasm', device: 'wasm', matMulGradient: 'custom' });
      }),
    ],
    cpu: [
      'tfjs cpu',
      onBackend(async () => {
        await activateCpu();
        return new TfjsTrainer(spec(), { name: 'cpu', device: 'cpu', matMulGradient: 'tfjs' });
      }),
    ],
    ...Object.fromEntries(TORCH_SETTINGS.map((t) => [`torch${t.torch}${t.blas}`, [`PyTorch, ${torchLabel(t)}`, torchPath(t)] as const])),
  };
}
