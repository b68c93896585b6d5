// ONNX's protobuf schema (onnx.proto of ONNX 1.12, as a protobufjs JSON descriptor) and typed views of the messages used.
import protobuf from 'protobufjs/light.js';
import descriptor from './onnx-schema.json';

// onnx-schema.json is protobufjs's JSON form of onnx.proto (parsed with keepCase so names match the .proto);
// test/onnx/onnx-schema.test.ts checks it against the system copy and can rewrite it.
const root = protobuf.Root.fromJSON(descriptor);

/** The onnx.ModelProto message type (encode / decode / fromObject / toObject). */
export const ModelProtoType: protobuf.Type = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType codes the studio reads and writes by name. */
export const ELEM_TYPES: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** AttributeProto.AttributeType codes. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** TensorShapeProto.Dimension as plain data. */
interface DimensionObject {
  dim_value?: number;
  dim_param?: string;
}

/** TypeProto (tensor case only) as plain data. */
interface TypeObject {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimensionObject[] } };
}

/** ValueInfoProto as plain data. */
export interface ValueInfoObject {
  name?: string;
  type?: TypeObject;
  doc_string?: string;
}

/** AttributeProto (scalar and list cases) as plain data. */
export interface AttributeObject {
  name?: string;
  type?: number;
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
  floats?: number[];
}

/** NodeProto as plain data. */
export interface NodeObject {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeObject[];
}

/** TensorProto as plain data (the fields the studio reads). */
export interface TensorObject {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int64_data?: number[];
  int32_data?: number[];
  double_data?: number[];
  data_location?: number;
}

/** GraphProto as plain data. */
export interface GraphObject {
  name?: string;
  node?: NodeObject[];
  initializer?: TensorObject[];
  input?: ValueInfoObject[];
  output?: ValueInfoObject[];
  doc_string?: string;
}

/** ModelProto as plain data. */
export interface ModelObject {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphObject;
  metadata_props?: { key?: string; value?: string }[];
}
