// Reverse-mode differentiation over emitted graph nodes: walks them backwards, applying each op's gradient rule.
import { StudioError } from '../errors';
import type { Registry } from '../registry';
import type { GraphNode } from '../graph/types';
import type { Emitter } from './emitter';
import { vjpFor, type GradContext, type GradRule } from './grad-rule';
import { gradTable } from './registry';

function context(e: Emitter, node: GraphNode, rule: GradRule, dy: string, producers: ReadonlyMap<string, GraphNode>): GradContext {
  return {
    e,
    node,
    dy,
    input(i) {
      if (!rule.inputsToSave.includes(i)) throw new StudioError('internal', `gradient rule ${rule.op} reads input ${i} but does not declare it`);
      return node.inputs[i];
    },
    output() {
      if (!rule.saveOutput) throw new StudioError('internal', `gradient rule ${rule.op} reads its output but does not declare it`);
      return node.outputs[0];
    },
    inputType: (i) => e.typeOf(node.inputs[i]),
    outputType: () => e.typeOf(node.outputs[0]),
    constant: (i) => e.constantValue(node.inputs[i]),
    producer: (i) => producers.get(node.inputs[i]),
  };
}

/**
 * Emits the gradients of the values in `wrt` given seed gradients of some later values (the loss's inputs).
 * `nodes` are nodes already in the emitter, in evaluation order. Returns value -> gradient name; a value
 * the seeds do not reach has no entry.
 */
export function emitBackprop(
  e: Emitter,
  nodes: readonly GraphNode[],
  seeds: ReadonlyMap<string, string>,
  wrt: readonly string[],
  table: Registry<GradRule> = gradTable,
): Map<string, string> {
  // only values that depend on a wanted one carry gradients: frozen parameters, inputs and constants cost nothing
  const live = new Set(wrt);
  for (const n of nodes) if (n.inputs.some((v) => live.has(v))) n.outputs.forEach((o) => live.add(o));
  const producers = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const pending = new Map<string, string[]>();
  for (const [v, g] of seeds) pending.set(v, [g]);
  const total = (v: string): string | undefined => {
    const parts = pending.get(v);
    if (!parts || parts.length === 0) return undefined;
    let sum = parts[0];
    for (const p of parts.slice(1)) sum = e.op('Add', [sum, p]);
    pending.set(v, [sum]);
    return sum;
  };
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    if (node.outputs.length !== 1) throw new StudioError('invalid-argument', `${node.op} node '${node.name}' has ${node.outputs.length} outputs; gradients handle one`);
    if (!live.has(node.outputs[0])) continue;
    const dy = total(node.outputs[0]);
    if (dy === undefined) continue;
    const rule = table.get(node.op);
    const ctx = context(e, node, rule, dy, producers);
    e.scope = node.name;
    node.inputs.forEach((v, i) => {
      if (!live.has(v)) return;
      const vjp = vjpFor(rule, i);
      if (!vjp) return;
      const g = vjp(ctx, i);
      if (g === undefined) return;
      const list = pending.get(v) ?? [];
      list.push(g);
      pending.set(v, list);
    });
    e.scope = '';
  }
  const out = new Map<string, string>();
  for (const w of wrt) {
    const g = total(w);
    if (g !== undefined) out.set(w, g);
  }
  return out;
}
