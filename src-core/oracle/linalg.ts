// Small dense linear algebra in float64 for the oracle: Cholesky factors, triangular solves, log-determinants.

/** A d x d matrix stored row-major in a Float64Array. */
export type Matrix = Float64Array;

/** Copies nested rows into a row-major Float64Array. */
export function toMatrix(rows: readonly (readonly number[])[]): Matrix {
  const d = rows.length;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j] = rows[i][j];
  return m;
}

/** Lower Cholesky factor L with A = L L^T, or null if A is not (numerically) positive definite. */
export function cholesky(a: Matrix, d: number): Matrix | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        // A pivot at or below zero (or NaN) means the matrix is not positive definite.
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** log det A from its Cholesky factor: 2 sum log L_ii. */
export function logDetFromCholesky(l: Matrix, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]);
  return 2 * s;
}

/** Solves L y = b in place (forward substitution); b has length d starting at offset 0. */
export function solveLower(l: Matrix, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/** Solves L^T y = b in place (back substitution). */
export function solveUpperT(l: Matrix, d: number, b: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/** out = M v for a d x d matrix M. */
export function matVec(m: Matrix, d: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += m[i * d + k] * v[k];
    out[i] = s;
  }
}

/** out = L z for a lower-triangular L (used to draw correlated Gaussians). */
export function lowerVec(l: Matrix, d: number, z: Float64Array, out: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += l[i * d + k] * z[k];
    out[i] = s;
  }
}
