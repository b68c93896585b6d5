// The graph IR: dtypes, symbolic shapes, tensors, attributes, nodes, parameter views and the graph itself.

/** Element types the IR knows; ONNX's FLOAT and INT64. */
export type DType = 'float32' | 'int64';

/** A dimension: a fixed size, or a symbol (such as 'N', the batch) fixed only at run time. */
export type Dim = number | string;

/** A shape whose entries may be symbolic. */
export type Shape = readonly Dim[];

/** The static type of a value: element type and (symbolic) shape. */
export interface ValueType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** A named graph input or output with its type. */
export interface ValueInfo extends ValueType {
  readonly name: string;
}

/** A float32 tensor: row-major data with a concrete shape. */
export interface FloatTensor {
  readonly dtype: 'float32';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An int64 tensor (labels, shapes, axes, indices). */
export interface Int64Tensor {
  readonly dtype: 'int64';
  readonly shape: readonly number[];
  readonly data: BigInt64Array;
}

/** A concrete tensor as the reference evaluator sees it. */
export type Tensor = FloatTensor | Int64Tensor;

/** A node attribute, tagged with its ONNX attribute type. */
export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

/** Attributes of a node by name. */
export type Attrs = Readonly<Record<string, Attr>>;

/** One operation: an op of the op table applied to named values, producing named values. */
export interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attrs;
}

/** A float32 parameter: a view (offset, shape) into the one flat parameter buffer. */
export interface ParamView {
  readonly name: string;
  readonly offset: number;
  readonly shape: readonly number[];
}

/** A fixed tensor baked into the graph (frequencies, shapes, axes); not a parameter. */
export interface GraphConstant {
  readonly name: string;
  readonly tensor: Tensor;
}

/** A model graph: inputs, parameters (views into one flat buffer), constants, nodes in order, outputs. */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly params: readonly ParamView[];
  /** Length of the flat parameter buffer the views index into. */
  readonly paramSize: number;
  readonly constants: readonly GraphConstant[];
  /** Nodes in a valid evaluation order (every input defined before use). */
  readonly nodes: readonly GraphNode[];
}
