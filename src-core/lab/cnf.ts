// A continuous normalising flow trained by maximum likelihood: -log p_0(x) through a fixed-step ODE solve with the exact divergence, differentiated through the solver in tfjs.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError, checkInteger } from '../errors';
import type { OptimiserSettings, StepResult, TrainerState } from '../training/backend';
import { flatAdamUpdate, type FlatState } from '../training/tfjs';
import type { TfjsNet } from './tfjs-velocity';

/** The fixed-step solvers the CNF's loss can be differentiated through. */
export const CNF_SOLVERS = ['rk4', 'euler'] as const;
/** One of CNF_SOLVERS. */
type CnfSolver = (typeof CNF_SOLVERS)[number];

/** How the loss integrates the ODE from t = 0 (data) to t = 1 (noise). */
export interface CnfSolve {
  readonly solver: CnfSolver;
  readonly steps: number;
}

/** Network evaluations per point in one loss: each stage takes d vector–Jacobian products, each a forward and a backward pass. */
export function cnfNfe(solve: CnfSolve, d: number): number {
  return solve.steps * (solve.solver === 'rk4' ? 4 : 1) * d;
}

/** Rows picking output j of block j: [d n, d], ones where the column is the block's index. */
function blockSelector(n: number, d: number): tf.Tensor2D {
  const m = new Float32Array(d * n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) m[(j * n + i) * d + j] = 1;
  return tf.tensor2d(m, [d * n, d]);
}

/**
 * u(x, t) and its exact divergence per row in one evaluation: the network runs on d stacked copies of x, copy j's
 * output j is summed, and one backward pass gives d u_j / d x_j for every j at once. The caller disposes `kept` (u is
 * kept so that the outer gradient can reach it; tfjs has no persistent tape).
 */
function fieldAndDivergence(net: TfjsNet, w: tf.Tensor1D, x: tf.Tensor2D, t: number, select: tf.Tensor2D, kept: tf.Tensor[]): { u: tf.Tensor2D; div: tf.Tensor1D } {
  const [n, d] = x.shape;
  let u: tf.Tensor2D | null = null;
  const g = tf.grad((z: tf.Tensor) => {
    const out = net.apply(w, z, t) as tf.Tensor2D;
    u = tf.keep(tf.slice(out, [0, 0], [n, d]));
    kept.push(u);
    return tf.sum(tf.mul(out, select));
  })(tf.tile(x, [d, 1])) as tf.Tensor2D;
  const div = tf.sum(tf.reshape(tf.sum(tf.mul(g, select), 1), [d, n]), 0) as tf.Tensor1D;
  return { u: u as unknown as tf.Tensor2D, div };
}

/**
 * log p_0 of each row of x0 [n, d] (MATH.md §6 and §9): x carried from t = 0 to 1 by the network's field with the
 * integral of its divergence, under the prior N(0, I) at t = 1. Differentiable in the weights w (call inside a
 * gradient function or tf.tidy; dispose `kept` afterwards).
 */
export function cnfLogDensity(net: TfjsNet, w: tf.Tensor1D, x0: tf.Tensor2D, solve: CnfSolve, kept: tf.Tensor[]): tf.Tensor1D {
  checkInteger(solve.steps, 'steps', 1);
  if (!CNF_SOLVERS.includes(solve.solver)) throw new StudioError('unknown-name', `unknown CNF solver '${String(solve.solver)}'; known: ${CNF_SOLVERS.join(', ')}`);
  const [n, d] = x0.shape;
  const select = blockSelector(n, d);
  const h = 1 / solve.steps;
  const f = (x: tf.Tensor2D, t: number) => fieldAndDivergence(net, w, x, t, select, kept);
  let x = x0;
  let integral: tf.Tensor1D = tf.zeros([n]);
  for (let i = 0; i < solve.steps; i++) {
    const t = i * h;
    if (solve.solver === 'euler') {
      const k = f(x, t);
      x = tf.add(x, tf.mul(k.u, h));
      integral = tf.add(integral, tf.mul(k.div, h));
      continue;
    }
    const k1 = f(x, t);
    const k2 = f(tf.add(x, tf.mul(k1.u, h / 2)), t + h / 2);
    const k3 = f(tf.add(x, tf.mul(k2.u, h / 2)), t + h / 2);
    const k4 = f(tf.add(x, tf.mul(k3.u, h)), t + h);
    x = tf.add(x, tf.mul(tf.addN([k1.u, tf.mul(k2.u, 2), tf.mul(k3.u, 2), k4.u]), h / 6));
    integral = tf.add(integral, tf.mul(tf.addN([k1.div, tf.mul(k2.div, 2), tf.mul(k3.div, 2), k4.div]), h / 6));
  }
  const prior = tf.sub(tf.mul(tf.sum(tf.square(x), 1), -0.5), 0.5 * d * Math.log(2 * Math.PI));
  return tf.add(prior, integral);
}

/** The CNF's loss on a batch: the mean negative log-likelihood in nats per point. */
export function cnfLoss(net: TfjsNet, w: tf.Tensor1D, x0: tf.Tensor2D, solve: CnfSolve, kept: tf.Tensor[]): tf.Scalar {
  return tf.neg(tf.mean(cnfLogDensity(net, w, x0, solve, kept))) as tf.Scalar;
}

/** Trains a network as a CNF with the studio's optimiser step (clip, Adam/AdamW, EMA) on batches it is handed. */
export class CnfTrainer {
  private state: FlatState;
  private steps: number;
  private disposed = false;

  /** Uploads the state (weights, moments, EMA) to the active tfjs backend. */
  constructor(
    private readonly net: TfjsNet,
    private readonly opt: OptimiserSettings,
    private readonly solve: CnfSolve,
    state: TrainerState,
  ) {
    const up = (a: Float32Array) => tf.keep(tf.tensor1d(a.slice(), 'float32'));
    this.state = { params: up(state.params), m: up(state.m), v: up(state.v), ema: up(state.ema) };
    this.steps = state.step;
  }

  /** One maximum-likelihood step on rows x0 [n, d] at learning rate lr: the loss before the update and the gradient norm. */
  async step(x0: Float32Array, n: number, lr: number): Promise<StepResult> {
    if (this.disposed) throw new StudioError('invalid-argument', 'the CNF trainer was disposed');
    const d = x0.length / n;
    const k = this.steps + 1;
    const scalars = { lr, bc1: 1 - Math.pow(this.opt.beta1, k), bc2: 1 - Math.pow(this.opt.beta2, k) };
    const kept: tf.Tensor[] = [];
    const out = tf.tidy(() => {
      const x = tf.tensor2d(x0, [n, d]);
      const { value, grad } = tf.valueAndGrad((w: tf.Tensor) => cnfLoss(this.net, w as tf.Tensor1D, x, this.solve, kept))(this.state.params);
      const r = flatAdamUpdate(this.state, grad as tf.Tensor1D, this.opt, scalars, null);
      return [r.state.params, r.state.m, r.state.v, r.state.ema, tf.stack([value, r.norm])] as const;
    });
    tf.dispose(kept);
    const old = this.state;
    this.state = { params: out[0], m: out[1], v: out[2], ema: out[3] };
    tf.dispose([old.params, old.m, old.v, old.ema]);
    this.steps = k;
    const values = await out[4].data();
    out[4].dispose();
    return { loss: values[0], gradNorm: values[1] };
  }

  /** The state copied out in the flat layout. */
  async readState(): Promise<TrainerState> {
    const read = async (t: tf.Tensor1D) => Float32Array.from(await t.data());
    const { params, m, v, ema } = this.state;
    return { step: this.steps, params: await read(params), m: await read(m), v: await read(v), ema: await read(ema) };
  }

  /** Frees the state's tensors. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.state.params, this.state.m, this.state.v, this.state.ema]);
  }
}
