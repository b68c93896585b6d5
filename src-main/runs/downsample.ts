// Min/max downsampling of a series: per bucket keep the smallest and the largest value, plus the first and last points.

/**
 * Indices (ascending) of at most maxPoints samples of `values` that keep the first and last points and, in each of
 * floor((maxPoints - 2) / 2) equal buckets of the rest, the minimum and the maximum (NaNs are never chosen as extremes),
 * so spikes in a loss curve survive. Returns every index when the series is short enough.
 */
export function minMaxIndices(values: ArrayLike<number>, maxPoints: number): Uint32Array {
  const n = values.length;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: number[] = [0];
  const interior = n - 2;
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor((b * interior) / buckets);
    const hi = 1 + Math.floor(((b + 1) * interior) / buckets);
    let iMin = -1;
    let iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      if (iMin < 0 || v < values[iMin]) iMin = i;
      if (iMax < 0 || v > values[iMax]) iMax = i;
    }
    if (iMin < 0) {
      out.push(lo); // an all-NaN bucket still shows where the gap is
    } else if (iMin === iMax) {
      out.push(iMin);
    } else {
      out.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
    }
  }
  out.push(n - 1);
  return Uint32Array.from(out);
}

/** Gathers values[indices[k]] into a new Float64Array. */
export function gather(values: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}
