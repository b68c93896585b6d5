// The ONNX reader: bytes -> inputs, outputs, metadata, initialisers; anything unreadable becomes a StudioError.
import { messageOf, StudioError } from '../errors';
import type { Dim } from '../graph/types';
import { ELEM_TYPES, ModelProtoType, type GraphObject, type ModelObject, type TensorObject, type ValueInfoObject } from './schema';

/** A graph input or output as a file declares it; elemType is a name such as 'float32', shape dims may be symbolic or '?'. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: string;
  readonly shape: readonly Dim[];
}

/** An initialiser: its element type, dims and little-endian element bytes. */
interface OnnxInitializer {
  readonly name: string;
  readonly elemType: string;
  readonly dims: readonly number[];
  readonly bytes: Uint8Array;
}

/** One node as the file holds it. */
interface OnnxNodeInfo {
  readonly name: string;
  readonly op: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** What the studio reads from an ONNX file. */
export interface OnnxModelInfo {
  readonly irVersion: number;
  /** Version of the default (ai.onnx) operator set. */
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graphName: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly initializers: readonly OnnxInitializer[];
  readonly nodes: readonly OnnxNodeInfo[];
}

const ELEM_SIZE: Readonly<Record<string, number>> = {
  float32: 4, uint8: 1, int8: 1, uint16: 2, int16: 2, int32: 4, int64: 8, bool: 1, float16: 2, float64: 8, uint32: 4, uint64: 8, bfloat16: 2,
};

function bad(message: string): never {
  throw new StudioError('invalid-argument', `not a usable ONNX model: ${message}`);
}

function elemName(code: number | undefined, what: string): string {
  const name = code === undefined ? undefined : ELEM_TYPES[code];
  if (!name) bad(`${what} has unknown element type ${code}`);
  return name;
}

function readValueInfo(v: ValueInfoObject, what: string): OnnxValueInfo {
  if (!v.name) bad(`a graph ${what} has no name`);
  const tt = v.type?.tensor_type;
  if (!tt) bad(`graph ${what} '${v.name}' is not a tensor`);
  const shape = (tt.shape?.dim ?? []).map((d): Dim => (d.dim_param ? d.dim_param : d.dim_value !== undefined ? d.dim_value : '?'));
  return { name: v.name, elemType: elemName(tt.elem_type, `graph ${what} '${v.name}'`), shape };
}

function numbersToBytes(values: readonly number[], elemType: string): Uint8Array {
  const size = ELEM_SIZE[elemType];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (elemType === 'float32') view.setFloat32(4 * i, v, true);
    else if (elemType === 'float64') view.setFloat64(8 * i, v, true);
    else if (elemType === 'int64') view.setBigInt64(8 * i, BigInt(Math.trunc(v)), true);
    else if (elemType === 'int32') view.setInt32(4 * i, v, true);
    else bad(`typed-field initialisers of ${elemType} are not supported`);
  });
  return out;
}

function readInitializer(t: TensorObject): OnnxInitializer {
  const name = t.name ?? bad('an initialiser has no name');
  if (t.data_location === 1) bad(`initialiser '${name}' keeps its data in an external file, which the studio does not read`);
  const elemType = elemName(t.data_type, `initialiser '${name}'`);
  const dims = t.dims ?? [];
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) bad(`initialiser '${name}' has invalid dims [${dims.join(', ')}]`);
  const count = dims.reduce((a, b) => a * b, 1);
  const size = ELEM_SIZE[elemType] ?? bad(`initialiser '${name}' has unsupported element type ${elemType}`);
  const typed = t.float_data ?? t.int64_data ?? t.double_data ?? t.int32_data;
  const bytes = t.raw_data ?? numbersToBytes(typed ?? [], elemType);
  if (bytes.length !== count * size) bad(`initialiser '${name}' holds ${bytes.length} bytes; dims [${dims.join(', ')}] need ${count * size}`);
  return { name, elemType, dims: [...dims], bytes: new Uint8Array(bytes) };
}

function readGraph(g: GraphObject): Pick<OnnxModelInfo, 'graphName' | 'inputs' | 'outputs' | 'initializers' | 'nodes'> {
  const outputs = (g.output ?? []).map((v) => readValueInfo(v, 'output'));
  if (outputs.length === 0) bad('the graph has no outputs');
  const nodes = (g.node ?? []).map((n, i) => ({
    name: n.name ?? `node${i}`,
    op: n.op_type || bad(`node ${i} has no op type`),
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
  }));
  return { graphName: g.name ?? '', inputs: (g.input ?? []).map((v) => readValueInfo(v, 'input')), outputs, initializers: (g.initializer ?? []).map(readInitializer), nodes };
}

function decode(bytes: Uint8Array): ModelObject {
  try {
    const message = ModelProtoType.decode(bytes);
    return ModelProtoType.toObject(message, { longs: Number }) as ModelObject;
  } catch (e) {
    return bad(`the bytes are not an ONNX protobuf (${messageOf(e)})`);
  }
}

/** Reads an ONNX ModelProto; throws StudioError (invalid-argument) on truncated, foreign or unsupported bytes. */
export function readOnnx(bytes: Uint8Array): OnnxModelInfo {
  if (!(bytes instanceof Uint8Array)) bad('expected bytes');
  if (bytes.length === 0) bad('the file is empty');
  try {
    const m = decode(bytes);
    if (!m.ir_version || m.ir_version < 3) bad(`ir_version ${m.ir_version ?? 'missing'} is not a supported IR version`);
    if (!m.graph) bad('there is no graph');
    const opsets = m.opset_import ?? [];
    const main = opsets.find((o) => !o.domain || o.domain === 'ai.onnx');
    if (!main || !main.version) bad('there is no ai.onnx opset_import');
    const metadata = new Map<string, string>();
    for (const p of m.metadata_props ?? []) {
      if (!p.key) bad('a metadata_props entry has no key');
      if (metadata.has(p.key)) bad(`metadata key '${p.key}' repeats`);
      metadata.set(p.key, p.value ?? '');
    }
    return {
      irVersion: m.ir_version,
      opset: main.version,
      producerName: m.producer_name ?? '',
      producerVersion: m.producer_version ?? '',
      metadata: Object.fromEntries(metadata),
      ...readGraph(m.graph),
    };
  } catch (e) {
    // anything the checks above did not foresee still reaches the caller as a typed error
    if (e instanceof StudioError) throw e;
    return bad(messageOf(e));
  }
}

/** The initialiser's elements as a float32 array (copied from its little-endian bytes). */
export function initializerFloat32(init: OnnxInitializer): Float32Array {
  if (init.elemType !== 'float32') bad(`initialiser '${init.name}' is ${init.elemType}, not float32`);
  const view = new DataView(init.bytes.buffer, init.bytes.byteOffset, init.bytes.byteLength);
  const out = new Float32Array(init.bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
