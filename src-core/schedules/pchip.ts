// Monotone piecewise-cubic Hermite interpolation (PCHIP, Fritsch–Carlson) with its analytic derivative.

/** A monotone cubic through given points: value and first derivative. */
interface Pchip {
  value(x: number): number;
  derivative(x: number): number;
}

/**
 * Builds the PCHIP interpolant of strictly increasing xs and strictly monotone ys.
 * Interior slopes are the weighted harmonic mean of the neighbouring secants (Fritsch–Butland),
 * which keeps each slope within (0, 3) times both secants and so keeps every segment monotone.
 * End slopes use the one-sided three-point formula, held to between 1/4 and 3 times the end
 * secant: never zero, so the curve is strictly monotone up to both ends (a schedule then has
 * nonzero derivatives at t = 0 and t = 1). Outside [xs[0], xs[n-1]] the end cubics extend.
 */
export function pchip(xs: readonly number[], ys: readonly number[]): Pchip {
  const n = xs.length;
  const h = new Float64Array(n - 1);
  const delta = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    h[k] = xs[k + 1] - xs[k];
    delta[k] = (ys[k + 1] - ys[k]) / h[k];
  }
  const d = new Float64Array(n);
  if (n === 2) {
    d[0] = d[1] = delta[0];
  } else {
    for (let k = 1; k < n - 1; k++) {
      const w1 = 2 * h[k] + h[k - 1];
      const w2 = h[k] + 2 * h[k - 1];
      d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
    }
    d[0] = endSlope(h[0], h[1], delta[0], delta[1]);
    d[n - 1] = endSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
  }
  const seg = (x: number): number => {
    let lo = 0;
    let hi = n - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    value(x) {
      const k = seg(x);
      const s = (x - xs[k]) / h[k];
      const s2 = s * s;
      const s3 = s2 * s;
      return (
        (2 * s3 - 3 * s2 + 1) * ys[k] + (s3 - 2 * s2 + s) * h[k] * d[k] + (-2 * s3 + 3 * s2) * ys[k + 1] + (s3 - s2) * h[k] * d[k + 1]
      );
    },
    derivative(x) {
      const k = seg(x);
      const s = (x - xs[k]) / h[k];
      const s2 = s * s;
      return (6 * s - 6 * s2) * delta[k] + (3 * s2 - 4 * s + 1) * d[k] + (3 * s2 - 2 * s) * d[k + 1];
    },
  };
}

/** Three-point end slope of the end interval (h0, delta0) next to (h1, delta1), ratio held in [1/4, 3]. */
function endSlope(h0: number, h1: number, delta0: number, delta1: number): number {
  const estimate = ((2 * h0 + h1) * delta0 - h0 * delta1) / (h0 + h1);
  const ratio = Math.min(3, Math.max(0.25, estimate / delta0));
  return ratio * delta0;
}
