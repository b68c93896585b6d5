// JSON text for the WebSocket transport: typed arrays travel as tagged base64, everything else as JSON.
import { StudioError } from '../errors';
import { decodeBase64, encodeBase64 } from './base64';

const TAGS = { $f32: Float32Array, $f64: Float64Array, $i32: Int32Array, $u8: Uint8Array } as const;
type Tag = keyof typeof TAGS;

function tagOf(value: ArrayBufferView): Tag | null {
  if (value instanceof Float32Array) return '$f32';
  if (value instanceof Float64Array) return '$f64';
  if (value instanceof Int32Array) return '$i32';
  if (value instanceof Uint8Array) return '$u8';
  return null;
}

/** Serialises a message, encoding typed arrays as {"$f32": base64} and the like. */
export function encodeWire(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) {
      const tag = tagOf(value);
      if (!tag) throw new StudioError('invalid-argument', `cannot send a ${value.constructor.name} over the wire`);
      return { [tag]: encodeBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    }
    return value;
  });
}

/** Deepest nesting of arrays and objects a message may have. */
export const MAX_WIRE_DEPTH = 64;
/** Most members one object of a message may have (the contract's largest object has a few dozen). */
export const MAX_WIRE_KEYS = 1000;
/** Most values and member names one message may hold outside its typed arrays (counted by the commas and colons between them). */
export const MAX_WIRE_VALUES = 1_000_000;

/**
 * Refuses text whose shape would be costly to parse or to check: too deep, an object with too many
 * members, too many values in all. One pass over the characters, jumping over strings, before JSON.parse
 * builds anything (a 16 MiB object of two million keys takes seconds to parse and more to check).
 */
function checkShape(text: string): void {
  const keys = new Int32Array(MAX_WIRE_DEPTH + 2);
  const isObject = new Uint8Array(MAX_WIRE_DEPTH + 2);
  let depth = 0;
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: jump to its closing quote (one not escaped by an odd run of backslashes)
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return; // unterminated: JSON.parse says so
      i = end;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_WIRE_DEPTH) throw new StudioError('invalid-message', `message nests deeper than ${MAX_WIRE_DEPTH} levels`);
      isObject[depth] = c === 123 ? 1 : 0;
      keys[depth] = 0;
    } else if (c === 125 || c === 93) {
      if (depth > 0) depth--;
    } else if (c === 58 || c === 44) {
      // n separators part n + 1 values and names
      if (++separators >= MAX_WIRE_VALUES) throw new StudioError('invalid-message', `message holds more than ${MAX_WIRE_VALUES} values and names; send bulk numbers as a typed array`);
      if (c === 58 && isObject[depth] && ++keys[depth] > MAX_WIRE_KEYS) {
        throw new StudioError('invalid-message', `message holds an object of more than ${MAX_WIRE_KEYS} members`);
      }
    }
  }
}

/** Parses a message, restoring tagged typed arrays; throws invalid-message on bad text or a costly shape. */
export function decodeWire(text: string): unknown {
  checkShape(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StudioError('invalid-message', 'message is not valid JSON');
  }
  return revive(parsed);
}

/** Replaces tagged typed arrays in place (JSON.parse's output is ours alone), dropping own __proto__ keys. */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && Object.hasOwn(TAGS, keys[0])) return typedArrayOf(keys[0] as Tag, record[keys[0]]);
  for (const key of keys) {
    // JSON.parse makes "__proto__" an own key; dropped here so no later copy turns it into a prototype
    if (key === '__proto__') delete record[key];
    else record[key] = revive(record[key]);
  }
  return record;
}

function typedArrayOf(tag: Tag, text: unknown): ArrayBufferView {
  if (typeof text !== 'string') throw new StudioError('invalid-message', `${tag} must hold a base64 string`);
  const bytes = decodeBase64(text);
  const Ctor = TAGS[tag];
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new StudioError('invalid-message', `${tag} payload of ${bytes.byteLength} bytes is not whole elements`);
  }
  // decodeBase64 returns a fresh, exactly sized buffer, so the view starts at 0 and is aligned.
  return new Ctor(bytes.buffer as ArrayBuffer);
}
