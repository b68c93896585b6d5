// Recorded steps of a solver that picks its own times (dopri5), shown on the other panel's grid so one scrubber serves both.

/**
 * For each target time (decreasing, as sampling runs), the index of the last recorded time at or above it: the state the
 * solver had reached by then. Both lists start at the same time; the last target is at or above the last recorded time.
 */
export function heldIndices(recorded: Float64Array, target: Float64Array): Int32Array {
  const out = new Int32Array(target.length);
  let j = 0;
  // a hair of slack: an accepted step that lands on a grid time up to rounding counts as there
  const slack = 1e-9;
  for (let k = 0; k < target.length; k++) {
    while (j + 1 < recorded.length && recorded[j + 1] >= target[k] - slack) j++;
    out[k] = j;
  }
  return out;
}

/** Steps [steps + 1, per] of a recording taken at the held indices: one block of per numbers for each target time. */
export function takeSteps(values: Float32Array, per: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * per);
  indices.forEach((j, k) => out.set(values.subarray(j * per, (j + 1) * per), k * per));
  return out;
}
