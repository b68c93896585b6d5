// GraphBuilder: writes a model family once; checks every node as it is added and lays parameters out flat.
import { StudioError } from '../errors';
import { inferGraph, inferNode } from './infer';
import type { ParamEntry, ParamInit, ParamLayout } from './param-layout';
import { sizeOf } from './tensor';
import type { Attrs, DType, Graph, GraphConstant, GraphNode, Shape, Tensor, ValueInfo, ValueType } from './types';

/** A built model: its graph and the flat parameter layout its views index into. */
export interface BuiltGraph {
  readonly graph: Graph;
  readonly layout: ParamLayout;
}

/** Options of one added node. */
interface NodeOptions {
  readonly attrs?: Attrs;
  /** The output's name; defaults to a fresh one. */
  readonly name?: string;
}

/** Accumulates inputs, parameters, constants and nodes; node types are inferred as they are added. */
export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly params: ParamEntry[] = [];
  private readonly constants: GraphConstant[] = [];
  private readonly nodes: GraphNode[] = [];
  private readonly types = new Map<string, ValueType>();
  private readonly constValues = new Map<string, Tensor>();
  private paramSize = 0;
  private counter = 0;

  constructor(readonly name: string) {}

  private define(name: string, type: ValueType): string {
    if (this.types.has(name)) throw new StudioError('duplicate-name', `value '${name}' is already defined`);
    this.types.set(name, type);
    return name;
  }

  /** Declares a graph input; returns its name. */
  input(name: string, dtype: DType, shape: Shape): string {
    this.inputs.push({ name, dtype, shape: [...shape] });
    return this.define(name, { dtype, shape });
  }

  /** Appends a float32 parameter to the flat layout; returns its name. */
  param(name: string, shape: readonly number[], init: ParamInit, trainable = true): string {
    this.params.push({ name, offset: this.paramSize, shape: [...shape], init, trainable });
    this.paramSize += sizeOf(shape);
    return this.define(name, { dtype: 'float32', shape });
  }

  /** Adds a fixed tensor (not a parameter); returns its name. */
  constant(name: string, tensor: Tensor): string {
    this.constants.push({ name, tensor });
    this.constValues.set(name, tensor);
    return this.define(name, { dtype: tensor.dtype, shape: tensor.shape });
  }

  /** Adds a one-output node and returns the output's name; throws at once if the node does not type-check. */
  node(op: string, inputs: readonly string[], options: NodeOptions = {}): string {
    const out = options.name ?? `${op.toLowerCase()}_${this.counter++}`;
    const node: GraphNode = { name: out, op, inputs: [...inputs], outputs: [out], attrs: options.attrs ?? {} };
    const types = inputs.map((v) => this.typeOf(v));
    const [t] = inferNode(node, types, (i) => this.constValues.get(inputs[i]));
    this.nodes.push(node);
    return this.define(out, t);
  }

  /** The inferred type of a value. */
  typeOf(value: string): ValueType {
    const t = this.types.get(value);
    if (!t) throw new StudioError('unknown-name', `value '${value}' is not defined`);
    return t;
  }

  /** Marks a value as a graph output (its name is the output's name). */
  output(value: string): void {
    this.outputs.push({ name: value, ...this.typeOf(value) });
  }

  /** The finished graph (checked once more as a whole) and its parameter layout. */
  build(): BuiltGraph {
    const layout: ParamLayout = { size: this.paramSize, entries: [...this.params] };
    const graph: Graph = {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      params: layout.entries,
      paramSize: this.paramSize,
      constants: [...this.constants],
      nodes: [...this.nodes],
    };
    inferGraph(graph);
    return { graph, layout };
  }
}
