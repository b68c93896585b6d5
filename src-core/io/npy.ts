// NumPy's .npy format: read and write little-endian, C-ordered float32, float64, int64 and int32 arrays.
import { StudioError } from '../errors';
import { parseNpyHeader, type HeaderValue } from './npy-header';

/** Element types the studio reads and writes. */
type NpyDtype = 'float32' | 'float64' | 'int64' | 'int32';

/** The typed array holding each dtype's elements. */
interface NpyDataOf {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
}

/** An array as an .npy file holds it: element type, shape (C order) and the flat elements. */
export type NpyArray = { [K in NpyDtype]: { readonly dtype: K; readonly shape: readonly number[]; readonly data: NpyDataOf[K] } }[NpyDtype];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Readonly<Record<NpyDtype, string>> = { float32: '<f4', float64: '<f8', int64: '<i8', int32: '<i4' };
const SIZE: Readonly<Record<NpyDtype, number>> = { float32: 4, float64: 8, int64: 8, int32: 4 };
/** Longest header the reader accepts (a guard against absurd lengths in damaged files). */
const MAX_HEADER = 1 << 20;

function bad(message: string): never {
  throw new StudioError('invalid-argument', `not a usable .npy file: ${message}`);
}

/** Checks that the shape is a list of non-negative integers whose product matches the data length. */
function checkShape(shape: readonly number[], length: number): void {
  let count = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw new StudioError('invalid-shape', `npy shape entries must be integers >= 0, got [${shape.join(', ')}]`);
    count *= s;
  }
  if (count !== length) throw new StudioError('invalid-shape', `npy shape [${shape.join(', ')}] holds ${count} elements but the data has ${length}`);
}

function headerText(dtype: NpyDtype, shape: readonly number[]): string {
  // Python's tuple syntax: a one-element tuple keeps its trailing comma.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${tuple}, }`;
}

/** Serialises an array as .npy bytes (format 1.0, or 2.0 when the header needs more than 64 KiB); data are written little-endian. */
export function writeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  if (!(dtype in DESCR)) throw new StudioError('invalid-argument', `npy dtype must be one of ${Object.keys(DESCR).join(', ')}, got ${String(dtype)}`);
  checkShape(shape, data.length);
  const text = headerText(dtype, shape);
  // magic (6) + version (2) + length field (2 or 4) + header, padded with spaces to a multiple of 64 and ended by '\n'
  const padded = (prefix: number): number => Math.ceil((prefix + text.length + 1) / 64) * 64;
  const major = padded(10) - 10 > 0xffff ? 2 : 1;
  const prefix = major === 1 ? 10 : 12;
  const total = padded(prefix);
  const header = text.padEnd(total - prefix - 1, ' ') + '\n';
  const size = SIZE[dtype];
  const out = new Uint8Array(total + data.length * size);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const base = total;
  switch (array.dtype) {
    case 'float32':
      for (let i = 0; i < array.data.length; i++) view.setFloat32(base + 4 * i, array.data[i], true);
      break;
    case 'float64':
      for (let i = 0; i < array.data.length; i++) view.setFloat64(base + 8 * i, array.data[i], true);
      break;
    case 'int64':
      for (let i = 0; i < array.data.length; i++) view.setBigInt64(base + 8 * i, array.data[i], true);
      break;
    case 'int32':
      for (let i = 0; i < array.data.length; i++) view.setInt32(base + 4 * i, array.data[i], true);
      break;
  }
  return out;
}

function dtypeOf(descr: HeaderValue | undefined): NpyDtype {
  if (typeof descr !== 'string') bad(descr === undefined ? "header has no 'descr'" : 'structured (record) arrays are not supported; save a plain numeric array');
  if (/^[|<>=]?O/.test(descr)) bad('object arrays are not supported (allow_pickle data); save a numeric array');
  const order = descr[0];
  const code = /^[<>=|]/.test(order) ? descr.slice(1) : descr;
  const found = (Object.keys(DESCR) as NpyDtype[]).find((k) => DESCR[k].slice(1) === code);
  if (!found) bad(`dtype '${descr}' is not supported; use float32, float64, int64 or int32`);
  if (order === '>') bad(`big-endian data ('${descr}') is not supported; save with dtype '<${code}'`);
  if (order !== '<') bad(`dtype '${descr}' does not say little-endian; save with '<${code}'`);
  return found;
}

/** What an .npy header says: the element type, the shape, the element count and where the data start. */
export interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  readonly count: number;
  /** Bytes before the first element. */
  readonly dataStart: number;
  /** Bytes per element. */
  readonly size: number;
}

/**
 * Reads and checks the header from the first bytes of a file of totalBytes bytes (sizes included, so a truncated or
 * padded file is refused before its data are read); null while the bytes do not yet hold the whole header.
 */
export function readNpyHeader(bytes: Uint8Array, totalBytes: number): NpyHeader | null {
  if (!(bytes instanceof Uint8Array)) bad('expected bytes');
  const enough = (n: number): boolean => bytes.length >= n || bytes.length >= totalBytes;
  if (!enough(12)) return null;
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) bad('the file does not start with the NumPy magic \\x93NUMPY');
  const major = bytes[6];
  if (major < 1 || major > 3) bad(`format version ${major}.${bytes[7]} is not supported (1.0, 2.0 and 3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) bad('the file is truncated inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER) bad(`header of ${headerLength} bytes is too long`);
  if (totalBytes < prefix + headerLength) bad('the file is truncated inside its header');
  if (bytes.length < prefix + headerLength) return null;
  const raw = bytes.subarray(prefix, prefix + headerLength);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    return bad('header is not valid text');
  }
  const header = parseNpyHeader(text);
  const dtype = dtypeOf(header.get('descr'));
  const fortran = header.get('fortran_order');
  if (typeof fortran !== 'boolean') bad("header's 'fortran_order' must be True or False");
  const shapeValue = header.get('shape');
  if (!Array.isArray(shapeValue) || shapeValue.some((s) => typeof s !== 'number')) bad("header's 'shape' must be a tuple of integers");
  const shape = shapeValue as number[];
  let count = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s)) bad(`shape (${shape.join(', ')}) is too large`);
    count *= s;
  }
  const size = SIZE[dtype];
  const start = prefix + headerLength;
  const available = totalBytes - start;
  if (!Number.isSafeInteger(count * size) || available < count * size) {
    bad(`the data are truncated: shape (${shape.join(', ')}) of ${dtype} needs ${count * size} bytes, the file has ${available}`);
  }
  if (available > count * size) bad(`the file has ${available - count * size} bytes after the data of shape (${shape.join(', ')})`);
  // A Fortran-ordered array with at most one non-trivial axis has the same bytes as C order.
  if (fortran && shape.filter((s) => s > 1).length > 1) bad('Fortran-ordered arrays are not supported; save with np.ascontiguousarray(x)');
  return { dtype, shape, count, dataStart: start, size };
}

/** Parses .npy bytes (format 1.0, 2.0 or 3.0); throws StudioError on foreign, truncated, Fortran-ordered, big-endian or object data. */
export function readNpy(bytes: Uint8Array): NpyArray {
  const header = readNpyHeader(bytes, bytes.length) as NpyHeader;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return decodeData(header.dtype, header.shape, view, header.dataStart, header.count);
}

function decodeData(dtype: NpyDtype, shape: number[], view: DataView, start: number, count: number): NpyArray {
  switch (dtype) {
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(start + 4 * i, true);
      return { dtype, shape, data };
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(start + 8 * i, true);
      return { dtype, shape, data };
    }
    case 'int64': {
      const data = new BigInt64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getBigInt64(start + 8 * i, true);
      return { dtype, shape, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(start + 4 * i, true);
      return { dtype, shape, data };
    }
  }
}

/** The array's elements as float32 (float64 rounded, integers converted); throws if an integer is not exactly representable. */
export function npyToFloat32(array: NpyArray): Float32Array {
  if (array.dtype === 'float32') return array.data;
  if (array.dtype === 'int64') {
    const out = new Float32Array(array.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = array.data[i];
      if (v > 16777216n || v < -16777216n) throw new StudioError('invalid-argument', `npy element [${i}] = ${v} does not fit float32 exactly`);
      out[i] = Number(v);
    }
    return out;
  }
  return Float32Array.from(array.data);
}

/** The array's elements as int64 labels (integers only; floats must be whole numbers). */
export function npyToInt64(array: NpyArray): BigInt64Array {
  if (array.dtype === 'int64') return array.data;
  const out = new BigInt64Array(array.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = array.data[i];
    if (!Number.isInteger(v)) throw new StudioError('invalid-argument', `npy element [${i}] = ${v} is not an integer label`);
    out[i] = BigInt(v);
  }
  return out;
}
