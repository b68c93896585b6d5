// The reference evaluator: runs a graph node by node with the op table's plain-loop kernels.
import { StudioError } from '../errors';
import type { Registry } from '../registry';
import { inferGraph } from './infer';
import type { OpDef } from './op-def';
import { opTable } from './ops';
import { formatShape, sizeOf } from './tensor';
import type { Graph, Tensor, ValueInfo } from './types';

function bindInput(info: ValueInfo, t: Tensor | undefined, symbols: Map<string, number>): Tensor {
  if (!t) throw new StudioError('invalid-argument', `missing input '${info.name}'`);
  if (t.dtype !== info.dtype) throw new StudioError('invalid-argument', `input '${info.name}' must be ${info.dtype}, got ${t.dtype}`);
  const bad = (): never => {
    throw new StudioError('invalid-shape', `input '${info.name}' must have shape ${formatShape(info.shape)}, got ${formatShape(t.shape)}`);
  };
  if (t.shape.length !== info.shape.length) bad();
  info.shape.forEach((d, i) => {
    const actual = t.shape[i];
    if (typeof d === 'number') {
      if (actual !== d) bad();
      return;
    }
    // the same symbol must bind to the same size in every input
    const bound = symbols.get(d);
    if (bound === undefined) symbols.set(d, actual);
    else if (bound !== actual) {
      throw new StudioError('invalid-shape', `dimension '${d}' is ${bound} in one input but ${actual} in '${info.name}'`);
    }
  });
  if (sizeOf(t.shape) !== t.data.length) bad();
  return t;
}

/** Evaluates a graph on a flat parameter buffer and named inputs; returns the named outputs. */
export function evaluateGraph(
  graph: Graph,
  params: Float32Array,
  inputs: Readonly<Record<string, Tensor>>,
  table: Registry<OpDef> = opTable,
): Record<string, Tensor> {
  inferGraph(graph, table);
  if (params.length !== graph.paramSize) {
    throw new StudioError('invalid-shape', `graph '${graph.name}' needs ${graph.paramSize} parameters, got ${params.length}`);
  }
  for (const name of Object.keys(inputs)) {
    if (!graph.inputs.some((v) => v.name === name)) throw new StudioError('invalid-argument', `graph '${graph.name}' has no input '${name}'`);
  }
  const env = new Map<string, Tensor>();
  const symbols = new Map<string, number>();
  for (const info of graph.inputs) env.set(info.name, bindInput(info, inputs[info.name], symbols));
  for (const p of graph.params) {
    env.set(p.name, { dtype: 'float32', shape: p.shape, data: params.subarray(p.offset, p.offset + sizeOf(p.shape)) });
  }
  for (const c of graph.constants) env.set(c.name, c.tensor);
  for (const node of graph.nodes) {
    const args = node.inputs.map((name) => env.get(name) as Tensor);
    const out = table.get(node.op).evaluate(args, node.attrs);
    node.outputs.forEach((name, i) => env.set(name, out[i]));
  }
  const result: Record<string, Tensor> = {};
  for (const o of graph.outputs) result[o.name] = env.get(o.name) as Tensor;
  return result;
}
