// The web page's generator: the studio's own Rng, bundled into the page (as studio-rng.js) so the browser draws the noise the studio draws for a seed.
import { Rng } from '../../../src-core/rng';

/** n standard normal draws as float32, the numbers Rng(seed).fillNormal gives over n values. */
export function seededNormals(seed: number, n: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n));
}
