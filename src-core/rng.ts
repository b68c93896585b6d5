// Seeded random numbers (xoshiro128**): uniform, Gaussian and Rademacher draws, with savable state.
import { checkInteger } from './errors';

/** Serialisable generator state: four 32-bit words plus a cached Gaussian. */
export interface RngState {
  readonly s: readonly [number, number, number, number];
  readonly spare: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A fast seeded generator; every random draw of the studio comes from one of these. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  /** Seeds from a non-negative integer (only its low 32 bits and the next 21 matter). */
  constructor(seed: number) {
    checkInteger(seed, 'seed');
    const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296) * 0x27d4eb2d);
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Restores a generator from a saved state. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s;
    r.spare = state.spare;
    return r;
  }

  /** The state, to save in a checkpoint. */
  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    checkInteger(n, 'n', 1);
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (Box–Muller, the pair's second value kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u = 1 - this.uniform(); // (0, 1]
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** -1 or +1 with equal probability. */
  rademacher(): number {
    return this.nextUint32() & 1 ? 1 : -1;
  }

  /** Fills an array with standard normal draws and returns it. */
  fillNormal<A extends Float32Array | Float64Array>(out: A): A {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** Fills an array with uniform draws in [lo, hi) and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo = 0, hi = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** Fills an array with Rademacher draws and returns it. */
  fillRademacher<A extends Float32Array | Float64Array>(out: A): A {
    for (let i = 0; i < out.length; i++) out[i] = this.rademacher();
    return out;
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
