// The per-coordinate affine map between data units and the units a model trains in: its one type and schema, the run's standardisation, and both directions.
import { z } from 'zod';

const numbers = z.array(z.number()).min(1).readonly();

/**
 * x_data = x_model * scale + mean per coordinate; a one-entry list applies to every coordinate. The trainer, the model
 * format's studio.normalisation key (JSON {"mean", "scale"}), the API and the catalog all hold this; null where a model
 * works in data units.
 */
export const normalisationSchema = z.strictObject({ mean: numbers, scale: z.array(z.number().positive()).min(1).readonly() });

/** A per-coordinate affine normalisation (see normalisationSchema). */
export type Normalisation = z.output<typeof normalisationSchema>;

function entry(list: readonly number[], k: number): number {
  return list[list.length === 1 ? 0 : k];
}

/** Mean and standard deviation of each coordinate of rows of d numbers (a zero std is taken as 1, so constant coordinates pass through). */
export function standardisation(data: Float32Array, d: number): Normalisation {
  const n = data.length / d;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (data[i * d + j] - mean[j]) ** 2;
  return { mean: Array.from(mean), scale: Array.from(sq, (s) => Math.sqrt(s / n) || 1) };
}

/** Rows of d numbers in data units mapped to model units, (x - mean) / scale, as a new buffer. */
export function normalise(data: Float32Array, norm: Normalisation, d: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - entry(norm.mean, i % d)) / entry(norm.scale, i % d);
  return out;
}

/** Rows of d numbers in model units mapped back to data units in place, x * scale + mean; a no-op without a normalisation. */
export function denormalise<T extends Float32Array | Float64Array>(data: T, norm: Normalisation | null, d: number): T {
  if (!norm) return data;
  for (let i = 0; i < data.length; i++) data[i] = data[i] * entry(norm.scale, i % d) + entry(norm.mean, i % d);
  return data;
}
