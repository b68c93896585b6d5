// Triton's config.pbtxt for an exported ONNX graph: its inputs and outputs read from the file itself, the batching, and the studio's metadata as parameters.
import { TRITON_MODEL_NAME } from '../../src-core/api/methods/models';
import { StudioError } from '../../src-core/errors';
import type { OnnxModelInfo, OnnxValueInfo } from '../../src-core/onnx/reader';

/** Triton's data type for each ONNX element type the studio's graphs use. */
const TRITON_TYPES: Readonly<Record<string, string>> = {
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  float16: 'TYPE_FP16',
  int64: 'TYPE_INT64',
  int32: 'TYPE_INT32',
  int8: 'TYPE_INT8',
  uint8: 'TYPE_UINT8',
  bool: 'TYPE_BOOL',
};


/** The largest batch a network's config allows when the caller names none (the dynamic batcher joins requests up to it). */
export const TRITON_DEFAULT_MAX_BATCH = 256;

/** An enum value of the text format (written bare, not quoted). */
interface EnumValue {
  readonly enum: string;
}
type TextValue = string | number | EnumValue | TextMessage | readonly TextValue[];
/** A message of the text format: field name to value; a list of messages is a repeated field. */
interface TextMessage {
  readonly [field: string]: TextValue;
}

const isEnum = (v: TextValue): v is EnumValue => typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as EnumValue).enum === 'string';

/** A string literal of the text format: printable ASCII kept, quotes and backslashes escaped, every other byte (UTF-8) as octal. */
function quote(s: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

function scalar(v: TextValue): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new StudioError('internal', `config.pbtxt: ${v} is not a finite number`);
    return String(v);
  }
  if (isEnum(v)) return v.enum;
  throw new StudioError('internal', 'config.pbtxt: a message where a scalar belongs');
}

const isMessage = (v: TextValue): v is TextMessage => typeof v === 'object' && !Array.isArray(v) && !isEnum(v);

/** Renders a message in protobuf's text format, one field a line, nested messages indented. */
function renderMessage(m: TextMessage, indent = ''): string {
  const lines: string[] = [];
  for (const [field, value] of Object.entries(m)) {
    if (Array.isArray(value) && value.some(isMessage)) {
      for (const item of value as TextValue[]) lines.push(`${indent}${field} {\n${renderMessage(item as TextMessage, `${indent}  `)}${indent}}`);
    } else if (Array.isArray(value)) lines.push(`${indent}${field}: [ ${(value as TextValue[]).map(scalar).join(', ')}${value.length > 0 ? ' ' : ''}]`);
    else if (isMessage(value)) lines.push(`${indent}${field} {\n${renderMessage(value, `${indent}  `)}${indent}}`);
    else lines.push(`${indent}${field}: ${scalar(value)}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * One tensor of the config from the graph's declaration. Batched: the leading (batch) dimension is left out, and a
 * per-item scalar ([N] in the graph) is declared [1] with an empty reshape, as Triton requires. Symbolic dims are -1.
 */
function tensorEntry(v: OnnxValueInfo, batched: boolean): TextMessage {
  const type = TRITON_TYPES[v.elemType];
  if (!type) throw new StudioError('invalid-argument', `graph tensor ${v.name} is ${v.elemType}, a type the Triton export has no config name for`);
  const dims = v.shape.map((d) => (typeof d === 'number' ? d : -1));
  if (!batched) return { name: v.name, data_type: { enum: type }, dims };
  if (typeof v.shape[0] === 'number') throw new StudioError('invalid-argument', `graph tensor ${v.name} has a fixed first dimension ${v.shape[0]}: it cannot be batched`);
  const item = dims.slice(1);
  return item.length === 0 ? { name: v.name, data_type: { enum: type }, dims: [1], reshape: { shape: [] } } : { name: v.name, data_type: { enum: type }, dims: item };
}

/** How one model of a repository is served. */
export interface TritonModelOptions {
  /** The model's name (its folder in the repository). */
  readonly name: string;
  /** Largest batch Triton forms from requests (with dynamic batching); 0: no batching, the graph's own shapes are served as they are. */
  readonly maxBatchSize: number;
}

/** The text of config.pbtxt for an ONNX model served by Triton's onnxruntime backend, its tensors taken from the file's graph. */
export function tritonConfigText(info: OnnxModelInfo, options: TritonModelOptions): string {
  if (!TRITON_MODEL_NAME.test(options.name)) {
    throw new StudioError('invalid-argument', `Triton model name '${options.name}' must be letters, digits, '_', '-' or '.', up to 64, not starting with a dot or '-'`);
  }
  if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 0) throw new StudioError('invalid-argument', `max batch size must be an integer >= 0, got ${options.maxBatchSize}`);
  const batched = options.maxBatchSize > 0;
  const config: Record<string, TextValue> = {
    name: options.name,
    backend: 'onnxruntime',
    max_batch_size: options.maxBatchSize,
    input: info.inputs.map((v) => tensorEntry(v, batched)),
    output: info.outputs.map((v) => tensorEntry(v, batched)),
  };
  if (batched) config.dynamic_batching = {};
  // Triton does not read an ONNX file's metadata_props: the same keys travel as the model's parameters
  const keys = Object.keys(info.metadata).sort();
  if (keys.length > 0) config.parameters = keys.map((key) => ({ key, value: { string_value: info.metadata[key] } }));
  return renderMessage(config);
}
