// The square grids the Lab's pictures evaluate densities and fields on.

/** Cell centres of a res x res grid over [x0, x1] x [y0, y1] (extent), row 0 at the bottom, flat [res * res, 2]. */
export function gridCentres(extent: readonly number[], res: number): Float64Array {
  const [x0, x1, y0, y1] = extent;
  const out = new Float64Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      out[2 * (r * res + c)] = x0 + ((c + 0.5) / res) * (x1 - x0);
      out[2 * (r * res + c) + 1] = y0 + ((r + 0.5) / res) * (y1 - y0);
    }
  }
  return out;
}
