// What one training step costs before it runs: multiply-adds counted from the model graph, for warnings before a costly start.
import { inferGraph } from '../graph/infer';
import type { Graph, Shape } from '../graph/types';
import type { ModelConfig } from './config';
import { buildModel } from './model-from-config';

const concrete = (shape: Shape | undefined): number[] => (shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
const product = (a: readonly number[]) => a.reduce((p, x) => p * x, 1);

/** Multiply-adds of one item's forward pass (symbolic batch dimensions counted as 1), from its Gemm, MatMul, Conv and Einsum nodes. */
export function forwardMacsPerItem(graph: Graph): number {
  const types = inferGraph(graph);
  const shapeOf = (name: string) => concrete(types.get(name)?.shape);
  let macs = 0;
  for (const node of graph.nodes) {
    const out = shapeOf(node.outputs[0]);
    switch (node.op) {
      case 'Gemm':
      case 'MatMul': {
        // [.., K] x [K, M]: each output element sums K products
        const a = shapeOf(node.inputs[0]);
        const transA = node.attrs.transA?.kind === 'int' && node.attrs.transA.value === 1;
        macs += product(out) * (transA ? a[a.length - 2] : a[a.length - 1]);
        break;
      }
      case 'Conv': {
        // each output element sums Cin/groups x kh x kw products: the weight's size after its first axis
        macs += product(out) * product(shapeOf(node.inputs[1]).slice(1));
        break;
      }
      case 'ConvTranspose': {
        // each input element spreads over Cout/groups x kh x kw outputs
        macs += product(shapeOf(node.inputs[0])) * product(shapeOf(node.inputs[1]).slice(1));
        break;
      }
      case 'Einsum': {
        // one product per combination of every index letter in the equation
        const eq = node.attrs.equation?.kind === 'string' ? node.attrs.equation.value : '';
        const sizes = new Map<string, number>();
        eq.split('->')[0].split(',').forEach((term, i) => [...term].forEach((letter, k) => sizes.set(letter, shapeOf(node.inputs[i])[k] ?? 1)));
        macs += product([...sizes.values()]);
        break;
      }
    }
  }
  return macs;
}

/** Floating-point operations of one training step: forward, and backward at twice the forward, 2 flops a multiply-add. */
export function stepFlops(model: ModelConfig, itemShape: readonly number[], batchSize: number): number {
  return 2 * 3 * forwardMacsPerItem(buildModel(model, itemShape).graph) * batchSize;
}
