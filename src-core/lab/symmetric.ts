// Small dense matrices (row-major Float64Array, d x d) for the Lab's Gaussian closed forms: products, and functions of a symmetric matrix by its eigenvalues.
import { StudioError } from '../errors';

/** A d x d matrix, row-major. */
export type Mat = Float64Array;

/** The d x d identity times c. */
export function identity(d: number, c = 1): Mat {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = c;
  return out;
}

/** The product a b of two d x d matrices. */
export function matMul(a: Mat, b: Mat, d: number): Mat {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

/** The transpose of a d x d matrix. */
export function transpose(a: Mat, d: number): Mat {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[j * d + i] = a[i * d + j];
  return out;
}

/** ca a + cb b, elementwise. */
export function combine(ca: number, a: Mat, cb: number, b: Mat): Mat {
  return Float64Array.from(a, (v, i) => ca * v + cb * b[i]);
}

/** The trace of a d x d matrix. */
export function trace(a: Mat, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i];
  return s;
}

/** The Frobenius norm of a matrix. */
export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Eigenvalues and orthonormal eigenvectors (the columns of `vectors`) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(a: Mat, d: number): { values: Float64Array; vectors: Mat } {
  const m = Float64Array.from(a);
  // the symmetric part: rounding may leave a - a^T of a few ulps
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[i * d + j] = m[j * d + i] = 0.5 * (m[i * d + j] + m[j * d + i]);
  const v = identity(d);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) off += m[i * d + j] ** 2;
    if (off <= 1e-30 * Math.max(1e-300, frobenius(m) ** 2)) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        // the rotation that zeroes m[p][q] (Golub and Van Loan's symmetric Schur step)
        const tau = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i];
  return { values, vectors: v };
}

/** f(a) for a symmetric matrix a: V diag(f(lambda)) V^T. */
function symmetricFunction(a: Mat, d: number, f: (lambda: number) => number): Mat {
  const { values, vectors } = symmetricEigen(a, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const fk = f(values[k]);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] += vectors[i * d + k] * fk * vectors[j * d + k];
  }
  return out;
}

/** The symmetric square root of a positive semi-definite matrix (eigenvalues a rounding below 0 taken as 0). */
export function sqrtPsd(a: Mat, d: number): Mat {
  return symmetricFunction(a, d, (l) => Math.sqrt(Math.max(0, l)));
}

/** The inverse of the symmetric square root of a positive definite matrix. */
export function inverseSqrtPd(a: Mat, d: number): Mat {
  return symmetricFunction(a, d, (l) => {
    if (!(l > 0)) throw new StudioError('invalid-argument', `the matrix is not positive definite (eigenvalue ${l})`);
    return 1 / Math.sqrt(l);
  });
}
