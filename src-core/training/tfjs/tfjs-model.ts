// A sampling Model over a graph compiled to tfjs: weights uploaded once, every prediction one tidy pass on the active backend.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../errors';
import type { Graph } from '../../graph/types';
import type { Model, Parameterisation } from '../../model';
import type { Schedule } from '../../schedules/schedule';
import { graphToTfjs, paramViews } from './graph-to-tfjs';

/** A Model on tfjs that holds tensors: call dispose when done with it. */
export interface TfjsModel extends Model {
  predict(x: Parameters<Model['predict']>[0], t: number): Promise<Float32Array>;
  dispose(): void;
}

/**
 * A Model whose predictions come from the graph evaluated by tfjs on whichever backend is active (activate one first).
 * Labels, one per row, are required when the graph takes y and fixed for the model's life (as samplers expect).
 */
export function tfjsModel(graph: Graph, params: Float32Array, parameterisation: Parameterisation, schedule: Schedule, labels?: ArrayLike<number>): TfjsModel {
  if (params.length !== graph.paramSize) throw new StudioError('invalid-shape', `graph '${graph.name}' needs ${graph.paramSize} parameters, got ${params.length}`);
  const conditional = graph.inputs.some((v) => v.name === 'y');
  if (conditional && !labels) throw new StudioError('invalid-argument', `graph '${graph.name}' is class-conditional: labels are required`);
  if (!conditional && labels) throw new StudioError('invalid-argument', `graph '${graph.name}' takes no labels`);
  const compiled = graphToTfjs(graph);
  // the weights stay on the backend between calls; only x and t cross per step
  const flat = tf.keep(tf.tensor1d(params, 'float32'));
  const y = labels ? tf.keep(tf.tensor1d(Int32Array.from(labels), 'int32')) : null;
  let disposed = false;

  return {
    parameterisation,
    schedule,
    async predict(x, t) {
      if (disposed) throw new StudioError('invalid-argument', `the tfjs model of '${graph.name}' was disposed`);
      const n = x.shape[0];
      if (y && y.size !== n) throw new StudioError('invalid-shape', `${y.size} labels for a batch of ${n}`);
      const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
      const out = tf.tidy(() => {
        const inputs: Record<string, tf.Tensor> = { x: tf.tensor(data, [...x.shape], 'float32'), t: tf.fill([n], t, 'float32') };
        if (y) inputs.y = y;
        return compiled.run(paramViews(graph, flat), inputs);
      });
      try {
        const values = await out.data();
        if (values.length !== data.length) throw new StudioError('invalid-shape', `graph '${graph.name}' returned ${values.length} numbers for an input of ${data.length}`);
        return values instanceof Float32Array ? Float32Array.from(values) : Float32Array.from(values as ArrayLike<number>);
      } finally {
        out.dispose();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(y ? [flat, y] : [flat]);
      compiled.dispose();
    },
  };
}
