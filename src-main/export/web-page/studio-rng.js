// The studio's seeded generator (xoshiro128** seeded by splitmix32, Box-Muller normals) in plain JavaScript, so the page draws the noise the studio draws for a seed.

function splitmix32(seed) {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

/** n standard normal draws as float32, the same numbers as the studio's Rng(seed).fillNormal over n values. */
export function seededNormals(seed, n) {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`the seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${seed}`);
  const mix = splitmix32((seed >>> 0) ^ (Math.floor(seed / 4294967296) * 0x27d4eb2d));
  let s0 = mix();
  let s1 = mix();
  let s2 = mix();
  let s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const next = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const uniform = () => {
    const a = next() >>> 5;
    const b = next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    // the pair's second value goes to the next index, as the studio's cached spare does
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
