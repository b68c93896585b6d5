// A short fingerprint of the points a panel shows, so tests (and a curious person) can tell two clouds apart.

/** FNV-1a over the float32 bit patterns, as 8 hex digits; equal clouds give equal sums. */
export function pointsChecksum(points: Float32Array): string {
  const bits = new Uint32Array(points.buffer, points.byteOffset, points.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    h ^= bits[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
