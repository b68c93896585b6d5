// The ONNX writer: graph IR + flat float32 parameters -> ModelProto bytes (protobufjs on ONNX's own schema).
import { StudioError, checkAllFinite } from '../errors';
import { inferGraph } from '../graph/infer';
import { sizeOf } from '../graph/tensor';
import type { Attr, Graph, GraphNode, Tensor, ValueInfo } from '../graph/types';
import { ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from './constants';
import { ATTR_TYPE, ModelProtoType, type AttributeObject, type ModelObject, type NodeObject, type TensorObject, type ValueInfoObject } from './schema';

/** What the caller adds to an exported model. */
interface OnnxWriteOptions {
  /** metadata_props: parameterisation, schedule JSON, data shape, normalisation, ... */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerVersion?: string;
  readonly docString?: string;
  readonly modelVersion?: number;
}

const ELEM_TYPE_CODE = { float32: 1, int64: 7 } as const;

/** Little-endian bytes of a tensor's elements (ONNX raw_data is little-endian on every platform). */
export function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const size = data instanceof Float32Array ? 4 : 8;
  const out = new Uint8Array(data.length * size);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setBigInt64(8 * i, data[i], true);
  return out;
}

function valueInfo(v: ValueInfo): ValueInfoObject {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: v.name, type: { tensor_type: { elem_type: ELEM_TYPE_CODE[v.dtype], shape: { dim } } } };
}

function tensorProto(name: string, t: Tensor): TensorObject {
  return { name, dims: [...t.shape], data_type: ELEM_TYPE_CODE[t.dtype], raw_data: littleEndianBytes(t.data) };
}

function attribute(name: string, a: Attr): AttributeObject {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function nodeProto(n: GraphNode): NodeObject {
  return {
    name: n.name,
    op_type: n.op,
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: Object.entries(n.attrs).map(([k, a]) => attribute(k, a)),
  };
}

/** The ModelProto as plain data, before encoding (exposed for tests and for wrapping into larger graphs). */
export function toModelObject(graph: Graph, params: Float32Array, options: OnnxWriteOptions = {}): ModelObject {
  inferGraph(graph);
  if (params.length !== graph.paramSize) {
    throw new StudioError('invalid-shape', `graph '${graph.name}' needs ${graph.paramSize} parameters, got ${params.length}`);
  }
  checkAllFinite(params, 'parameters');
  const initializer: TensorObject[] = [
    ...graph.params.map((p) =>
      tensorProto(p.name, { dtype: 'float32', shape: p.shape, data: params.subarray(p.offset, p.offset + sizeOf(p.shape)) }),
    ),
    ...graph.constants.map((c) => tensorProto(c.name, c.tensor)),
  ];
  const metadata = Object.entries(options.metadata ?? {});
  for (const [k, v] of metadata) {
    if (k === '' || typeof v !== 'string') throw new StudioError('invalid-argument', `metadata entry '${k}' needs a non-empty key and a string value`);
  }
  return {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: PRODUCER_NAME,
    producer_version: options.producerVersion ?? '',
    model_version: options.modelVersion ?? 1,
    doc_string: options.docString ?? '',
    graph: {
      name: graph.name,
      node: graph.nodes.map(nodeProto),
      initializer,
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
    metadata_props: metadata.map(([key, value]) => ({ key, value })),
  };
}

/** Serialises a graph with its flat parameters as ONNX ModelProto bytes (opset 17, dynamic symbolic dims). */
export function writeOnnx(graph: Graph, params: Float32Array, options: OnnxWriteOptions = {}): Uint8Array {
  const model = toModelObject(graph, params, options);
  const bytes = ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
  // protobufjs may hand back a Node Buffer; callers get a plain Uint8Array view
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
