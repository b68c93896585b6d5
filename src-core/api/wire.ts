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

/** Parses a message, restoring tagged typed arrays; throws invalid-message on bad text. */
export function decodeWire(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StudioError('invalid-message', 'message is not valid JSON');
  }
  return revive(parsed, 0);
}

function revive(value: unknown, depth: number): unknown {
  if (depth > 64) throw new StudioError('invalid-message', 'message nests too deeply');
  if (Array.isArray(value)) return value.map((v) => revive(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] in TAGS) {
    const tag = keys[0] as Tag;
    const text = (value as Record<string, unknown>)[tag];
    if (typeof text !== 'string') throw new StudioError('invalid-message', `${tag} must hold a base64 string`);
    const bytes = decodeBase64(text);
    const Ctor = TAGS[tag];
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
      throw new StudioError('invalid-message', `${tag} payload of ${bytes.byteLength} bytes is not whole elements`);
    }
    // decodeBase64 returns a fresh, exactly sized buffer, so the view starts at 0 and is aligned.
    return new Ctor(bytes.buffer as ArrayBuffer);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__') continue;
    out[key] = revive((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}
