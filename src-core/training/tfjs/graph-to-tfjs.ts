// Evaluates a graph of the IR with tfjs ops, so tfjs autodiff gives its gradients; parameters come as views of one flat tensor.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../errors';
import { inferGraph } from '../../graph/infer';
import { int64Values } from '../../graph/tensor';
import type { Graph, Tensor } from '../../graph/types';
import type { Registry } from '../../registry';
import type { MatMulGradient } from './dense';
import { tfjsOpTable, type TfjsKernel, type TfjsOpCompiler } from './tfjs-ops';

/** Options of graphToTfjs. */
interface GraphToTfjsOptions {
  /** Gradient rule of matrix products (default 'custom', measured faster on wasm). */
  readonly matMulGradient?: MatMulGradient;
  readonly table?: Registry<TfjsOpCompiler>;
}

/** A graph compiled to tfjs: call run inside tf.tidy (or a gradient function); dispose frees its constants. */
export interface TfjsGraph {
  readonly graph: Graph;
  /** The graph's first output from parameter tensors by name and inputs by name (int64 inputs as int32 tensors). */
  run(params: ReadonlyMap<string, tf.Tensor>, inputs: Readonly<Record<string, tf.Tensor>>): tf.Tensor;
  dispose(): void;
}

function constantTensor(t: Tensor): tf.Tensor {
  if (t.dtype === 'float32') return tf.tensor(t.data, [...t.shape], 'float32');
  return tf.tensor(Int32Array.from(int64Values(t)), [...t.shape], 'int32');
}

/** Throws unknown-name listing every op of the graph the table does not map, with a node that uses it. */
export function checkTfjsOps(graph: Graph, table: Registry<TfjsOpCompiler> = tfjsOpTable): void {
  const missing = new Map<string, string>();
  for (const n of graph.nodes) if (!table.has(n.op) && !missing.has(n.op)) missing.set(n.op, n.name);
  if (missing.size === 0) return;
  const list = [...missing].map(([op, node]) => `${op} (node '${node}')`).join(', ');
  throw new StudioError('unknown-name', `graph '${graph.name}' uses ops the tfjs backends do not map: ${list}; mapped: ${table.names().join(', ')}`);
}

/** Compiles a graph to tfjs once; every op is checked and every node's constant inputs are read now, not per call. */
export function graphToTfjs(graph: Graph, options: GraphToTfjsOptions = {}): TfjsGraph {
  const table = options.table ?? tfjsOpTable;
  const matMulGradient = options.matMulGradient ?? 'custom';
  inferGraph(graph);
  checkTfjsOps(graph, table);
  const constInts = new Map<string, number[]>();
  for (const c of graph.constants) if (c.tensor.dtype === 'int64') constInts.set(c.name, int64Values(c.tensor));
  const kernels: TfjsKernel[] = graph.nodes.map((node) =>
    table.get(node.op)({ node, matMulGradient, constInts: (i) => constInts.get(node.inputs[i]) }),
  );
  // constants live as long as the compiled graph, outside any caller's tidy
  const constants = new Map<string, tf.Tensor>();
  for (const c of graph.constants) constants.set(c.name, tf.keep(constantTensor(c.tensor)));
  const output = graph.outputs[0].name;
  let disposed = false;

  return {
    graph,
    run(params, inputs) {
      if (disposed) throw new StudioError('invalid-argument', `the tfjs graph '${graph.name}' was disposed`);
      const env = new Map<string, tf.Tensor>(constants);
      for (const info of graph.inputs) {
        const t = inputs[info.name];
        if (!t) throw new StudioError('invalid-argument', `missing input '${info.name}'`);
        env.set(info.name, t);
      }
      for (const p of graph.params) {
        const t = params.get(p.name);
        if (!t) throw new StudioError('invalid-argument', `missing parameter '${p.name}'`);
        env.set(p.name, t);
      }
      graph.nodes.forEach((node, k) => {
        const args = node.inputs.map((name) => env.get(name) as tf.Tensor);
        env.set(node.outputs[0], kernels[k](args));
      });
      return env.get(output) as tf.Tensor;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of constants.values()) t.dispose();
    },
  };
}

/** Views of a flat parameter tensor as the graph's parameters, by name (call inside tf.tidy). */
export function paramViews(graph: Graph, flat: tf.Tensor1D): Map<string, tf.Tensor> {
  if (flat.size !== graph.paramSize) throw new StudioError('invalid-shape', `graph '${graph.name}' needs ${graph.paramSize} parameters, got ${flat.size}`);
  const views = new Map<string, tf.Tensor>();
  for (const p of graph.params) {
    const size = p.shape.reduce((s, d) => s * d, 1);
    views.set(p.name, tf.reshape(tf.slice(flat, p.offset, size), [...p.shape]));
  }
  return views;
}
