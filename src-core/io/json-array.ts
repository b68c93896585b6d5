// JSON arrays of numbers: nested rows ([[x, y], ...], images nested deeper) or {data, shape[, labels]}, read and written.
import { StudioError } from '../errors';
import { MAX_VALUES, checkLabels, datasetShape, type DatasetArray } from './dataset-array';
import { jsonErrorOffset } from './json-locate';
import { decodeText, lineColumn } from './text-input';

const FORMS = 'expected an array of rows ([[1, 2], [3, 4]]) or {"data": [...], "shape": [...]}';

/** A short, readable description of a JSON value for an error message. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function asFloat32(v: unknown, where: string): number {
  if (typeof v !== 'number') throw new StudioError('invalid-argument', `${where}: ${describe(v)} is not a number`);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new StudioError('not-finite', `${where}: ${v} is too large for float32`);
  return f;
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    if (offset === null) throw new StudioError('invalid-argument', `the file is not valid JSON: ${(err as Error).message}`);
    const { line, column } = lineColumn(text, offset);
    const found = offset < text.length ? JSON.stringify(text.slice(offset, offset + 12)) : 'the end of the file';
    throw new StudioError('invalid-argument', `the file is not valid JSON: line ${line}, column ${column} at ${found}`);
  }
}

/** The shape nested arrays promise, read along their first entries. */
function nestedShape(rows: unknown[]): number[] {
  const shape = [rows.length];
  let v: unknown = rows[0];
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** Flattens nested rows of the given shape into out, naming the first entry that breaks it. */
function flatten(value: unknown, shape: readonly number[], depth: number, path: string, out: Float32Array, offset: { i: number }): void {
  if (depth === shape.length) {
    out[offset.i++] = asFloat32(value, path);
    return;
  }
  const leafLevel = depth === shape.length - 1;
  const what = leafLevel ? 'numbers' : 'entries';
  if (!Array.isArray(value)) throw new StudioError('invalid-shape', `${path} is ${describe(value)}, expected an array of ${shape[depth]} ${what}`);
  if (value.length !== shape[depth]) throw new StudioError('invalid-shape', `${path} has ${value.length} ${what}, expected ${shape[depth]}`);
  for (let k = 0; k < value.length; k++) flatten(value[k], shape, depth + 1, leafLevel ? `${path}, entry ${k}` : `${path}[${k}]`, out, offset);
}

function fromRows(rows: unknown[], notes: string[]): DatasetArray {
  if (rows.length === 0) throw new StudioError('invalid-shape', 'the array is empty; a data set needs at least one row');
  const raw = nestedShape(rows);
  // Check the rank before flattening: recursion depth follows it.
  const shape = datasetShape(raw, notes);
  const size = raw.reduce((a, b) => a * b, 1);
  if (size > MAX_VALUES) throw new StudioError('invalid-shape', `the array holds more than ${MAX_VALUES} numbers; import a smaller file`);
  const data = new Float32Array(size);
  const offset = { i: 0 };
  for (let i = 0; i < rows.length; i++) {
    if (raw.length === 1) data[offset.i++] = asFloat32(rows[i], `item ${i}`);
    else flatten(rows[i], raw, 1, `item ${i}`, data, offset);
  }
  return { data, shape, notes };
}

function fromObject(obj: Record<string, unknown>, notes: string[]): DatasetArray {
  const { data, shape, labels, classes } = obj;
  if (!Array.isArray(data)) throw new StudioError('invalid-argument', `the object has no "data" array; ${FORMS}`);
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || (s as number) < 0)) {
    throw new StudioError('invalid-shape', `"shape" must be an array of whole numbers >= 0, got ${shape === undefined ? 'nothing' : JSON.stringify(shape).slice(0, 60)}`);
  }
  const dims = shape as number[];
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new StudioError('invalid-shape', `"shape" [${dims.join(', ')}] holds ${size} numbers but "data" has ${data.length}`);
  if (size > MAX_VALUES) throw new StudioError('invalid-shape', `"data" holds more than ${MAX_VALUES} numbers; import a smaller file`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = asFloat32(data[i], `data[${i}]`);
  const shaped = datasetShape(dims, notes);
  if (labels === undefined) return { data: out, shape: shaped, notes };
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'number')) throw new StudioError('invalid-argument', '"labels" must be an array of whole numbers, one per row');
  checkLabels(labels as number[], shaped[0]);
  const lab = Int32Array.from(labels as number[]);
  const names = Array.isArray(classes) && classes.every((c) => typeof c === 'string') ? (classes as string[]) : undefined;
  const count = lab.reduce((m, l) => Math.max(m, l + 1), 0);
  if (names && names.length < count) throw new StudioError('invalid-argument', `"classes" names ${names.length} classes but a label is ${count - 1}`);
  return { data: out, shape: shaped, labels: lab, classes: names ?? Array.from({ length: count }, (_, i) => String(i)), notes };
}

/** Reads a JSON array of numbers into a data set; every problem is a StudioError naming the item and entry (counted from 0). */
export function parseJsonArray(input: string | Uint8Array): DatasetArray {
  const value = parseText(decodeText(input, 'JSON file'));
  const notes: string[] = [];
  if (Array.isArray(value)) return fromRows(value, notes);
  if (value !== null && typeof value === 'object') return fromObject(value as Record<string, unknown>, notes);
  throw new StudioError('invalid-argument', `the JSON file holds ${describe(value)}; ${FORMS}`);
}

const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

function nested(data: Float32Array, shape: readonly number[], depth: number, start: number): string {
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  const parts: string[] = [];
  for (let k = 0; k < shape[depth]; k++) {
    parts.push(depth === shape.length - 1 ? num(data[start + k]) : nested(data, shape, depth + 1, start + k * stride));
  }
  return `[${parts.join(',')}]`;
}

/** Writes data as JSON: nested rows (the default) or {data, shape[, labels]}; numbers read back as the same float32. */
export function writeJsonArray(data: Float32Array, shape: readonly number[], options: { form?: 'nested' | 'object'; labels?: Int32Array } = {}): string {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || size !== data.length) throw new StudioError('invalid-shape', `shape [${shape.join(', ')}] does not match ${data.length} numbers`);
  if (options.form !== 'object' && !options.labels) return nested(data, shape, 0, 0);
  const labels = options.labels ? `,"labels":[${Array.from(options.labels).join(',')}]` : '';
  return `{"data":[${Array.from(data, num).join(',')}],"shape":[${shape.join(',')}]${labels}}`;
}
