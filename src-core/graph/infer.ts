// Whole-graph checks and shape inference: unique names, parameter views inside the buffer, op rows, declared outputs.
import { StudioError } from '../errors';
import type { Registry } from '../registry';
import { checkAttrNames } from './attrs';
import type { OpDef } from './op-def';
import { opTable } from './ops';
import { formatShape, sizeOf } from './tensor';
import type { Graph, GraphNode, Tensor, ValueType } from './types';

function sameType(a: ValueType, b: ValueType): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** Infers one node's output types, checking its op, arity and attributes. */
export function inferNode(node: GraphNode, inputs: readonly ValueType[], constant: (i: number) => Tensor | undefined, table: Registry<OpDef> = opTable): ValueType[] {
  const def = table.get(node.op);
  const [lo, hi] = def.arity;
  if (inputs.length < lo || inputs.length > hi) {
    throw new StudioError('invalid-argument', `${node.op} node '${node.name}' takes ${lo === hi ? lo : `${lo} to ${hi}`} inputs, got ${inputs.length}`);
  }
  checkAttrNames(node.op, node.attrs, def.attrs);
  const out = def.infer({ node, inputs, constant });
  if (out.length !== node.outputs.length) {
    throw new StudioError('invalid-argument', `${node.op} node '${node.name}' produces ${out.length} outputs but names ${node.outputs.length}`);
  }
  return out;
}

/** Checks a graph and returns the type of every value in it; throws a StudioError on the first problem. */
export function inferGraph(graph: Graph, table: Registry<OpDef> = opTable): Map<string, ValueType> {
  const types = new Map<string, ValueType>();
  const constants = new Map<string, Tensor>();
  const define = (name: string, type: ValueType): void => {
    if (name === '') throw new StudioError('invalid-argument', 'a value name must not be empty');
    if (types.has(name)) throw new StudioError('duplicate-name', `value '${name}' is defined twice in graph '${graph.name}'`);
    types.set(name, type);
  };
  for (const v of graph.inputs) define(v.name, v);
  const spans: [number, number, string][] = [];
  for (const p of graph.params) {
    const size = sizeOf(p.shape);
    if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset + size > graph.paramSize) {
      throw new StudioError('invalid-shape', `parameter '${p.name}' (offset ${p.offset}, ${size} values) lies outside the ${graph.paramSize}-value buffer`);
    }
    spans.push([p.offset, p.offset + size, p.name]);
    define(p.name, { dtype: 'float32', shape: p.shape });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) throw new StudioError('invalid-shape', `parameters '${spans[i - 1][2]}' and '${spans[i][2]}' overlap`);
  }
  for (const c of graph.constants) {
    define(c.name, { dtype: c.tensor.dtype, shape: c.tensor.shape });
    constants.set(c.name, c.tensor);
  }
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((name) => {
      const t = types.get(name);
      if (!t) throw new StudioError('invalid-argument', `${node.op} node '${node.name}' reads '${name}', which is not defined before it`);
      return t;
    });
    const out = inferNode(node, inputs, (i) => constants.get(node.inputs[i]), table);
    node.outputs.forEach((name, i) => define(name, out[i]));
  }
  for (const o of graph.outputs) {
    const t = types.get(o.name);
    if (!t) throw new StudioError('invalid-argument', `graph output '${o.name}' is never computed`);
    if (!sameType(t, o)) {
      throw new StudioError('invalid-shape', `graph output '${o.name}' is declared ${o.dtype} ${formatShape(o.shape)} but computes ${t.dtype} ${formatShape(t.shape)}`);
    }
  }
  return types;
}
