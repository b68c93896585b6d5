// Typed arrays as the Lab's result schemas take them: backed by a plain ArrayBuffer (what structured clone and the wire carry).

/** The array itself when it owns a plain ArrayBuffer, else a copy that does. */
export function owned(a: Float32Array): Float32Array<ArrayBuffer>;
/** The array itself when it owns a plain ArrayBuffer, else a copy that does. */
export function owned(a: Float64Array): Float64Array<ArrayBuffer>;
/** The array itself when it owns a plain ArrayBuffer, else a copy that does. */
export function owned(a: Float32Array | Float64Array): Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer> {
  return (a.buffer instanceof ArrayBuffer ? a : a.slice()) as Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
}
