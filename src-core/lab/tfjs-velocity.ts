// A network of the graph IR on tfjs read as a velocity field: u(x, t) from flat weights, as a sampling Model, and its vector–Jacobian product for the likelihood.
import * as tf from '@tensorflow/tfjs-core';
import type { FloatArray } from '../batch';
import { StudioError } from '../errors';
import type { Graph } from '../graph/types';
import type { VelocityVjp } from '../likelihood';
import type { Model, Parameterisation } from '../model';
import { conversionCoefficients, pathCoefficients } from '../parameterisation';
import type { Registry } from '../registry';
import type { Schedule } from '../schedules/schedule';
import { graphToTfjs, paramViews, type TfjsGraph, type TfjsOpCompiler } from '../training/tfjs';
import { secondOrderOpTable } from './second-order-ops';

/** A compiled network: its prediction from a flat weight tensor, differentiable in both the weights and x. */
export interface TfjsNet {
  readonly graph: Graph;
  /** The item shape of x (after the batch dimension). */
  readonly itemShape: readonly number[];
  /** The prediction at [n, ...item] x and one time (call inside tf.tidy or a gradient function). */
  apply(weights: tf.Tensor1D, x: tf.Tensor, t: number): tf.Tensor;
  dispose(): void;
}

/**
 * Compiles a graph with inputs x, t (and y, fed the null label `nullClass`). The op table's activations are
 * differentiable twice (second-order-ops.ts); matrix products take tfjs's own gradient, which reads only inputs.
 */
export function tfjsNet(graph: Graph, nullClass?: number, table: Registry<TfjsOpCompiler> = secondOrderOpTable): TfjsNet {
  const x = graph.inputs.find((i) => i.name === 'x');
  const takesLabel = graph.inputs.some((i) => i.name === 'y');
  if (!x || !graph.inputs.some((i) => i.name === 't')) throw new StudioError('invalid-argument', `graph '${graph.name}' must take inputs x and t`);
  if (takesLabel && nullClass === undefined) throw new StudioError('invalid-argument', `graph '${graph.name}' is class-conditional: give the null label`);
  const itemShape = x.shape.slice(1).map((s) => {
    if (typeof s !== 'number') throw new StudioError('invalid-shape', `input x of '${graph.name}' must have fixed sizes after the batch dimension`);
    return s;
  });
  const compiled: TfjsGraph = graphToTfjs(graph, { table, matMulGradient: 'tfjs' });
  return {
    graph,
    itemShape,
    apply(weights, xs, t) {
      const n = xs.shape[0];
      const inputs: Record<string, tf.Tensor> = { x: xs, t: tf.fill([n], t, 'float32') };
      if (takesLabel) inputs.y = tf.fill([n], nullClass ?? 0, 'int32');
      return compiled.run(paramViews(graph, weights), inputs);
    },
    dispose: () => compiled.dispose(),
  };
}

/** A trained network as a velocity field: the Model samplers take, the VJP the likelihood takes, and its NFE. */
interface VelocityField {
  readonly model: Model;
  /** u and v^T du/dx at (x, t), one network evaluation with its backward pass. */
  readonly vjp: VelocityVjp;
  dispose(): void;
}

/**
 * The network's prediction read as the probability-flow velocity: every parameterisation converts to it affinely,
 * u = a(t) x + b(t) prediction (MATH.md §2), so the VJP is a v + b v^T d(prediction)/dx.
 */
export function velocityField(net: TfjsNet, weights: Float32Array, parameterisation: Parameterisation, schedule: Schedule): VelocityField {
  const w = tf.keep(tf.tensor1d(weights, 'float32'));
  const shape = (n: number) => [n, ...net.itemShape];
  const rows = (x: FloatArray) => x.length / net.itemShape.reduce((a, b) => a * b, 1);
  const f32 = (x: FloatArray) => (x instanceof Float32Array ? x : Float32Array.from(x));
  const read = async (t: tf.Tensor): Promise<Float32Array> => {
    try {
      return Float32Array.from(await t.data());
    } finally {
      t.dispose();
    }
  };
  let disposed = false;
  const live = () => {
    if (disposed) throw new StudioError('invalid-argument', 'the velocity field was disposed');
  };
  return {
    model: {
      parameterisation,
      schedule,
      async predict(x, t) {
        live();
        return read(tf.tidy(() => net.apply(w, tf.tensor(f32(x.data), [...x.shape], 'float32'), t)));
      },
    },
    async vjp(x, t, v) {
      live();
      const [a, b] = conversionCoefficients(parameterisation, 'velocity', pathCoefficients(schedule, t));
      const n = rows(x);
      const out = tf.tidy(() => {
        const xs = tf.tensor(f32(x), shape(n), 'float32');
        const vs = tf.tensor(f32(v), shape(n), 'float32');
        let u: tf.Tensor | null = null;
        const g = tf.grad((z: tf.Tensor) => {
          const velocity = tf.add(tf.mul(z, a), tf.mul(net.apply(w, z, t), b));
          u = tf.keep(velocity);
          return tf.sum(tf.mul(velocity, vs));
        })(xs);
        return [u as unknown as tf.Tensor, g];
      });
      return { velocity: await read(out[0]), vjp: await read(out[1]) };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      w.dispose();
    },
  };
}
