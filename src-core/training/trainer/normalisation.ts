// Per-coordinate standardisation of a data set: the statistics a run records, applied to training rows and undone on samples.

/** How data were normalised before training: x_train = (x - mean) / std per coordinate. */
export interface Normalisation {
  readonly kind: 'none' | 'standardise';
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The identity normalisation for rows of d numbers. */
export function identityNormalisation(d: number): Normalisation {
  return { kind: 'none', mean: new Array<number>(d).fill(0), std: new Array<number>(d).fill(1) };
}

/** Mean and std of each coordinate (a zero std is taken as 1, so constant coordinates pass through). */
export function standardisation(data: Float32Array, d: number): Normalisation {
  const n = data.length / d;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (data[i * d + j] - mean[j]) ** 2;
  const std = Array.from(sq, (s) => Math.sqrt(s / n) || 1);
  return { kind: 'standardise', mean: Array.from(mean), std };
}

/** Applies a normalisation to rows, returning a new buffer. */
export function normalise(data: Float32Array, norm: Normalisation): Float32Array {
  const d = norm.mean.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - norm.mean[i % d]) / norm.std[i % d];
  return out;
}

/** Maps normalised rows back to data units, in place. */
export function denormalise(data: Float32Array, norm: Normalisation): Float32Array {
  const d = norm.mean.length;
  for (let i = 0; i < data.length; i++) data[i] = data[i] * norm.std[i % d] + norm.mean[i % d];
  return data;
}
