// Copies a model's forward graph into a larger graph: parameters become views of one flat vector input.
import { int } from '../graph/attrs';
import { int64Tensor, sizeOf } from '../graph/tensor';
import type { Graph, GraphNode } from '../graph/types';
import type { Emitter } from './emitter';

/** How parameter views are cut from the flat vector: Slice windows, or Gather by index + Reshape. */
export type ParamViewMode = 'slice' | 'gather';

/** The copied forward pass: its nodes as emitted, the name map, and the prediction's name. */
interface ForwardCopy {
  readonly nodes: readonly GraphNode[];
  /** Forward value name -> name in the new graph. */
  readonly names: ReadonlyMap<string, string>;
  readonly prediction: string;
}

/**
 * Emits the forward graph into e. `inputs` gives the new graph's names for the forward inputs (by position);
 * `reserved` lists names the new graph uses for itself, which forward values must not take.
 * Parameters are views of `flat`: Slice (+ Reshape) by default, one contiguous copy each per step; 'gather'
 * (index list + Gather) is kept for the comparison in bench/train-step.ts, where Slice measured faster.
 * `prefix` starts every value name the copy makes, so one graph can hold several copies (one per unrolled step);
 * constants are shared between copies.
 */
export function emitForward(
  e: Emitter,
  forward: Graph,
  flat: string,
  inputs: readonly string[],
  reserved: ReadonlySet<string>,
  mode: ParamViewMode = 'slice',
  prefix = '',
): ForwardCopy {
  const names = new Map<string, string>();
  const rename = (v: string): string => names.get(v) ?? (prefix !== '' ? `${prefix}${v}` : reserved.has(v) ? `fwd.${v}` : v);
  forward.inputs.forEach((info, i) => names.set(info.name, inputs[i]));
  for (const p of forward.params) {
    const size = sizeOf(p.shape);
    const name = rename(p.name);
    if (mode === 'gather') {
      const indexName = `tg.index.${p.name}`;
      const index = e.constantValue(indexName) ? indexName : e.constant(indexName, int64Tensor(Array.from({ length: size }, (_, i) => p.offset + i), [size]));
      const picked = e.op('Gather', [flat, index], { axis: int(0) }, p.shape.length === 1 ? name : undefined);
      if (p.shape.length > 1) e.op('Reshape', [picked, e.ints(p.shape)], {}, name);
    } else {
      const window = [flat, e.ints([p.offset]), e.ints([p.offset + size]), e.ints([0])];
      if (p.shape.length === 1) e.op('Slice', window, {}, name);
      else e.op('Reshape', [e.op('Slice', window), e.ints(p.shape)], {}, name);
    }
    names.set(p.name, name);
  }
  for (const c of forward.constants) {
    const name = reserved.has(c.name) ? `fwd.${c.name}` : c.name;
    names.set(c.name, e.constantValue(name) ? name : e.constant(name, c.tensor));
  }
  const nodes: GraphNode[] = [];
  for (const n of forward.nodes) {
    const out = rename(n.outputs[0]);
    const inputsRenamed = n.inputs.map(rename);
    e.op(n.op, inputsRenamed, n.attrs, out);
    names.set(n.outputs[0], out);
    nodes.push({ name: out, op: n.op, inputs: inputsRenamed, outputs: [out], attrs: n.attrs });
  }
  return { nodes, names, prediction: rename(forward.outputs[0].name) };
}
