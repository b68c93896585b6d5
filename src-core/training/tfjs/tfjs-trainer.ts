// TfjsTrainer: the TrainingBackend over whichever tfjs backend (cpu, wasm, tensorflow) is initialised in this process.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../errors';
import type { Graph } from '../../graph/types';
import type { BackendName, BackendSpec, OptimiserSettings, StepResult, TrainBatch, TrainerState, TrainingBackend } from '../backend';
import type { MatMulGradient } from './dense';
import { graphToTfjs, paramViews, type TfjsGraph } from './graph-to-tfjs';
import { flatSegments, flatTrainStep, type FlatSegment, type FlatState } from './tfjs-step';

/** How a TfjsTrainer reports itself and which matMul gradient it uses. */
interface TfjsTrainerOptions {
  readonly name: BackendName;
  readonly device: string;
  /** Default 'custom' (see dense.ts). */
  readonly matMulGradient?: MatMulGradient;
}

function checkLength(a: ArrayLike<unknown>, want: number, what: string): void {
  if (a.length !== want) throw new StudioError('invalid-shape', `${what} has ${a.length} values, expected ${want}`);
}

/** Trains one model on the tfjs backend active when it was made; state lives in four flat tensors. */
export class TfjsTrainer implements TrainingBackend {
  readonly name: BackendName;
  readonly device: string;
  private readonly model: TfjsGraph;
  private readonly segments: readonly FlatSegment[];
  private readonly opt: OptimiserSettings;
  private readonly tfBackend: string;
  private readonly dataShape: readonly number[];
  private readonly dataSize: number;
  private readonly hasLabels: boolean;
  /** Rows of the label table y indexes (labels must lie in 0..rows-1); 0 when no table is found. */
  private readonly labelRows: number;
  private readonly mask: tf.Tensor1D | null;
  private state: FlatState;
  private stepCount: number;
  private disposed = false;

  /** Builds the trainer on the currently active tfjs backend (the provider set it up). */
  constructor(spec: BackendSpec, options: TfjsTrainerOptions) {
    this.name = options.name;
    this.device = options.device;
    this.tfBackend = tf.getBackend();
    if (!this.tfBackend) throw new StudioError('internal', 'no tfjs backend is initialised');
    const { graph } = spec;
    this.opt = spec.optimiser;
    this.segments = flatSegments(graph, spec.layout);
    const x = this.checkInputs(graph);
    this.dataShape = x.shape.slice(1) as number[];
    this.dataSize = this.dataShape.reduce((s, d) => s * d, 1);
    this.hasLabels = graph.inputs.some((i) => i.name === 'y');
    const lookup = graph.nodes.find((nd) => nd.op === 'Gather' && nd.inputs[1] === 'y');
    this.labelRows = graph.params.find((p) => p.name === lookup?.inputs[0])?.shape[0] ?? 0;
    this.model = graphToTfjs(graph, { matMulGradient: options.matMulGradient ?? 'custom' });
    this.mask = this.segments.every((s) => s.trainable)
      ? null
      : tf.keep(tf.concat(this.segments.map((s) => tf.fill([s.size], s.trainable ? 1 : 0))) as tf.Tensor1D);
    this.state = this.upload(spec.state);
    this.stepCount = spec.state.step;
  }

  private checkInputs(graph: Graph): Graph['inputs'][number] {
    const x = graph.inputs.find((i) => i.name === 'x');
    const extra = graph.inputs.filter((i) => !['x', 't', 'y'].includes(i.name));
    if (!x || !graph.inputs.some((i) => i.name === 't') || extra.length > 0) {
      throw new StudioError('invalid-argument', `a trained graph takes inputs x, t and optionally y; '${graph.name}' has ${graph.inputs.map((i) => i.name).join(', ')}`);
    }
    if (x.shape.slice(1).some((d) => typeof d !== 'number')) throw new StudioError('invalid-shape', `input x of '${graph.name}' must have fixed sizes after the batch dimension`);
    return x;
  }

  private upload(s: TrainerState): FlatState {
    const size = this.segments.reduce((acc, seg) => acc + seg.size, 0);
    for (const k of ['params', 'm', 'v', 'ema'] as const) checkLength(s[k], size, `state.${k}`);
    // copies: the cpu backend would otherwise keep the caller's arrays as its storage
    const t = (a: Float32Array) => tf.keep(tf.tensor1d(a.slice(), 'float32'));
    return { params: t(s.params), m: t(s.m), v: t(s.v), ema: t(s.ema) };
  }

  private async ensureBackend(): Promise<void> {
    if (this.disposed) throw new StudioError('invalid-argument', `the ${this.name} backend was disposed`);
    // one engine per process: switch back if another trainer moved it (cheap once both are initialised)
    if (tf.getBackend() !== this.tfBackend) await tf.setBackend(this.tfBackend);
  }

  private inputs(x: Float32Array, t: Float32Array, y: BigInt64Array | undefined, n: number): Record<string, tf.Tensor> {
    checkLength(x, n * this.dataSize, 'x');
    checkLength(t, n, 't');
    const inputs: Record<string, tf.Tensor> = { x: tf.tensor(x, [n, ...this.dataShape], 'float32'), t: tf.tensor1d(t, 'float32') };
    if (this.hasLabels) {
      if (!y) throw new StudioError('invalid-argument', 'this model is class-conditioned: labels y are required');
      checkLength(y, n, 'y');
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        labels[i] = Number(y[i]);
        // the wasm Gather reads out of bounds silently, so bad labels are refused here
        if (this.labelRows > 0 && (labels[i] < 0 || labels[i] >= this.labelRows)) {
          throw new StudioError('invalid-argument', `label y[${i}] = ${y[i]} is out of range [0, ${this.labelRows - 1}]`);
        }
      }
      inputs.y = tf.tensor1d(labels, 'int32');
    }
    return inputs;
  }

  /** One optimisation step at learning rate lr; reads back only the loss and the gradient norm. */
  async step(batch: TrainBatch, lr: number): Promise<StepResult> {
    await this.ensureBackend();
    const { n } = batch;
    checkLength(batch.target, n * this.dataSize, 'target');
    checkLength(batch.weight, n, 'weight');
    const k = this.stepCount + 1;
    const scalars = { lr, bc1: 1 - Math.pow(this.opt.beta1, k), bc2: 1 - Math.pow(this.opt.beta2, k) };
    const out = tf.tidy(() => {
      const inputs = this.inputs(batch.xt, batch.t, batch.y, n);
      const target = tf.tensor(batch.target, [n, ...this.dataShape], 'float32');
      const weight = tf.tensor1d(batch.weight, 'float32');
      const r = flatTrainStep(this.model, this.segments, this.state, { inputs, target, weight, n }, this.opt, scalars, this.mask);
      return [r.state.params, r.state.m, r.state.v, r.state.ema, r.lossAndNorm] as const;
    });
    const old = this.state;
    this.state = { params: out[0], m: out[1], v: out[2], ema: out[3] };
    tf.dispose([old.params, old.m, old.v, old.ema]);
    this.stepCount = k;
    const values = await out[4].data();
    out[4].dispose();
    return { loss: values[0], gradNorm: values[1] };
  }

  /** The state copied out in the shared flat layout. */
  async readState(): Promise<TrainerState> {
    await this.ensureBackend();
    const read = async (t: tf.Tensor1D) => Float32Array.from(await t.data());
    const { params, m, v, ema } = this.state;
    return { step: this.stepCount, params: await read(params), m: await read(m), v: await read(v), ema: await read(ema) };
  }

  /** Replaces the state (resume, or a run moved from another backend). */
  async writeState(state: TrainerState): Promise<void> {
    await this.ensureBackend();
    const next = this.upload(state);
    tf.dispose([this.state.params, this.state.m, this.state.v, this.state.ema]);
    this.state = next;
    this.stepCount = state.step;
  }

  /** The network's prediction [n, ...data shape] with the EMA or the live weights. */
  async predict(x: Float32Array, t: Float32Array, y: BigInt64Array | undefined, n: number, weights: 'ema' | 'live'): Promise<Float32Array> {
    await this.ensureBackend();
    const flat = weights === 'ema' ? this.state.ema : this.state.params;
    const pred = tf.tidy(() => this.model.run(paramViews(this.model.graph, flat), this.inputs(x, t, y, n)));
    const data = Float32Array.from(await pred.data());
    pred.dispose();
    return data;
  }

  /** Frees every tensor the trainer holds. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.state.params, this.state.m, this.state.v, this.state.ema]);
    if (this.mask) this.mask.dispose();
    this.model.dispose();
  }
}
