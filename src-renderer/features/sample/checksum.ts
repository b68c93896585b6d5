// Short summaries of the points a panel shows (a fingerprint, the mean), so tests (and a curious person) can tell two clouds apart.

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

/** The mean of interleaved (x, y) points as "x,y" to three decimals; empty for no points. */
export function centroid(points: Float32Array): string {
  const n = points.length / 2;
  if (n === 0) return '';
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += points[2 * i];
    y += points[2 * i + 1];
  }
  return `${(x / n).toFixed(3)},${(y / n).toFixed(3)}`;
}
