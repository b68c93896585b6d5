// The training-backend contract: what every backend (compiled ONNX step, tfjs on GPU/CPU/wasm) does, and how one is chosen.
//
// The trainer loop (backend-agnostic TypeScript) draws data, noise, times and couplings and computes
// the network input x_t, the regression target and the per-row loss weight from the schedule and
// parameterisation (MATH.md §1–4) in float64. A backend therefore only has to train a network on
// (input, target, weight) triples: loss = (1/n) sum_i w_i mean_j (pred_ij - target_ij)^2,
// gradients, optional global-norm clipping, Adam/AdamW and the EMA update. That keeps every
// schedule and parameterisation available on every backend without compiling them into graphs.
import type { Graph } from '../graph/types';
import type { ParamLayout } from '../graph/param-layout';

/**
 * The one list of backends; its order is the 'auto' priority (fastest first, as the resolver tries them). The compiled
 * step on ONNX Runtime's CUDA provider comes first: it is the maintained GPU route (CUDA 12), tfjs-node-gpu the older
 * one (CUDA 11.2); WebGPU support in ONNX Runtime is experimental, so it is tried after both but before any CPU.
 */
export const BACKEND_NAMES = ['onnxruntime-cuda', 'tensorflow-gpu', 'onnxruntime-webgpu', 'onnxruntime', 'tensorflow', 'wasm', 'cpu'] as const;
/** A training backend's name. */
export type BackendName = (typeof BACKEND_NAMES)[number];
/** The backends that run the compiled ONNX step, each on the ONNX Runtime execution provider named here. */
export const COMPILED_STEP_PROVIDERS = { 'onnxruntime-cuda': 'cuda', 'onnxruntime-webgpu': 'webgpu', onnxruntime: 'cpu' } as const satisfies Partial<Record<BackendName, string>>;
/** A backend that runs the compiled ONNX step. */
export type CompiledStepBackend = keyof typeof COMPILED_STEP_PROVIDERS;
/** What a run may ask for: 'auto' (the fastest that runs here) or one backend by name. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
/** A run's backend request. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** One optimisation step's inputs, per row; buffers are owned by the caller and may be reused next step. */
export interface TrainBatch {
  readonly n: number;
  /** Network input x_t, [n, ...data shape]. */
  readonly xt: Float32Array;
  /** Times, [n]. */
  readonly t: Float32Array;
  /** Class labels, [n] (the null class where the label was dropped); absent for unconditional models. */
  readonly y?: BigInt64Array;
  /** Regression target, same length as xt. */
  readonly target: Float32Array;
  /** Per-row loss weight w(t), [n]. */
  readonly weight: Float32Array;
}

/** What one step reports. */
export interface StepResult {
  /** The weighted loss before the update. */
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

/** Optimiser settings fixed for a run (the learning rate is given per step). */
export interface OptimiserSettings {
  readonly kind: 'adam' | 'adamw';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Decoupled weight decay for AdamW; L2 added to the gradient for Adam. */
  readonly weightDecay: number;
  /** Global-norm clip threshold; null disables clipping. */
  readonly gradClip: number | null;
  readonly emaDecay: number;
}

/** Everything a backend holds that a checkpoint must keep, in the one flat layout every backend shares. */
export interface TrainerState {
  /** Optimiser steps taken (Adam's bias correction uses step + 1 for the next one). */
  readonly step: number;
  readonly params: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly ema: Float32Array;
}

/** What a backend is built from. */
export interface BackendSpec {
  readonly graph: Graph;
  readonly layout: ParamLayout;
  readonly optimiser: OptimiserSettings;
  /** The largest batch the run will use (backends may preallocate for it). */
  readonly batchSize: number;
  readonly state: TrainerState;
}

/** A live backend training one model. */
export interface TrainingBackend {
  readonly name: BackendName;
  /** The device in words ('CPU, 2 threads', 'CUDA: NVIDIA H100', ...). */
  readonly device: string;
  /** One optimisation step at learning rate lr. */
  step(batch: TrainBatch, lr: number): Promise<StepResult>;
  /**
   * lrs.length steps in one call, the same as that many step() calls in state and results; batch k comes from the
   * k-th call of next() (the previous batch's buffers may be reused by then), all of one size. Offered by backends
   * that run several steps at once cheaper than one at a time (the compiled ONNX step).
   */
  steps?(next: () => TrainBatch, lrs: readonly number[]): Promise<StepResult[]>;
  /** The current state, copied out. */
  readState(): Promise<TrainerState>;
  /** Replaces the state (resume, or moving a run between backends). */
  writeState(state: TrainerState): Promise<void>;
  /** The network's prediction with the EMA weights (previews) or the live ones. */
  predict(x: Float32Array, t: Float32Array, y: BigInt64Array | undefined, n: number, weights: 'ema' | 'live'): Promise<Float32Array>;
  /** Frees native memory; the backend is unusable afterwards. */
  dispose(): void;
}

/** Why a backend cannot run here, and the fix a person applies (null where none is known). */
export interface BackendRefused {
  readonly ok: false;
  readonly reason: string;
  readonly fix: string | null;
}

/** What a probe finds: the backend runs (on a device), or it is refused with why and the fix. */
type BackendProbeResult = { readonly ok: true; readonly device: string } | BackendRefused;

/** Thrown by a provider's create when the cause is known, so the fix travels with the reason. */
export class BackendRefusedError extends Error {
  constructor(
    message: string,
    readonly fix: string | null,
  ) {
    super(message);
    this.name = 'BackendRefusedError';
  }
}

/** A way to make a backend; probe says whether it can run here and, if not, why and what to do about it. */
export interface BackendProvider {
  readonly name: BackendName;
  probe(): Promise<BackendProbeResult>;
  create(spec: BackendSpec): Promise<TrainingBackend>;
}
