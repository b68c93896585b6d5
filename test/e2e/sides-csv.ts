// Test data for the e2e tests: two labelled clusters, "left" about (-2, 0) and "right" about (2, 0) with sd 0.3, as a CSV file with a header.
import { Rng } from '../../src-core/rng';

/** The CSV file's bytes: n rows alternating left and right, drawn from the seed. */
export function sidesCsv(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const rng = new Rng(seed);
  const rows = ['x,y,side'];
  for (let i = 0; i < n; i++) {
    const side = i % 2 === 0 ? 'left' : 'right';
    rows.push(`${((side === 'left' ? -2 : 2) + 0.3 * rng.normal()).toFixed(4)},${(0.3 * rng.normal()).toFixed(4)},${side}`);
  }
  return new TextEncoder().encode(rows.join('\n'));
}
