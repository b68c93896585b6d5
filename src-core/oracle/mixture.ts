// Gaussian mixture specs: the zod schema, validation into StudioErrors, and exact sampling from p_0.
import { z } from 'zod';
import { batch, type Batch } from '../batch';
import { StudioError, checkInteger } from '../errors';
import type { Rng } from '../rng';
import { cholesky, lowerVec, toMatrix, type Matrix } from './linalg';

/** A Gaussian mixture sum_k w_k N(mu_k, S_k) in R^d; weights sum to 1 once parsed. */
export interface GaussianMixture {
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly covariances: readonly (readonly (readonly number[])[])[];
}

/** Relative tolerance for calling a covariance symmetric. */
const SYMMETRY_TOL = 1e-9;

/** zod schema of a mixture: equal dimensions, positive finite weights (normalised), SPD covariances. */
export const gaussianMixtureSchema = z
  .object({
    weights: z.array(z.number().positive()).min(1),
    means: z.array(z.array(z.number()).min(1)).min(1),
    covariances: z.array(z.array(z.array(z.number()))).min(1),
  })
  .superRefine((m, ctx) => {
    const fail = (k: number, message: string): void => {
      ctx.addIssue({ code: 'custom', message: `component ${k}: ${message}`, path: ['covariances', k] });
    };
    const K = m.weights.length;
    // Refinements still run after non-fatal issues (an empty list); those are already reported.
    if (K === 0 || m.means.length === 0) return;
    if (m.means.length !== K || m.covariances.length !== K) {
      ctx.addIssue({
        code: 'custom',
        message: `${K} weights but ${m.means.length} means and ${m.covariances.length} covariances; each component needs one of each`,
      });
      return;
    }
    const d = m.means[0].length;
    for (let k = 0; k < K; k++) {
      const mu = m.means[k];
      const S = m.covariances[k];
      if (mu.length !== d) return fail(k, `mean has dimension ${mu.length}, component 0 has ${d}`);
      if (S.length !== d || S.some((row) => row.length !== d)) return fail(k, `covariance must be ${d} x ${d}`);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < i; j++) {
          const a = S[i][j];
          const b = S[j][i];
          if (Math.abs(a - b) > SYMMETRY_TOL * Math.max(1, Math.abs(a), Math.abs(b))) {
            return fail(k, `covariance is not symmetric ([${i}][${j}] = ${a}, [${j}][${i}] = ${b})`);
          }
        }
      }
      if (cholesky(toMatrix(S), d) === null) return fail(k, 'covariance is not positive definite');
    }
  })
  .transform((m): GaussianMixture => {
    const total = m.weights.reduce((a, b) => a + b, 0);
    // Average the two triangles so later Cholesky factors see an exactly symmetric matrix.
    const sym = (S: number[][]): number[][] => S.map((row, i) => row.map((v, j) => 0.5 * (v + S[j][i])));
    return { weights: m.weights.map((w) => w / total), means: m.means.map((mu) => [...mu]), covariances: m.covariances.map(sym) };
  });

function describePath(path: readonly PropertyKey[]): string {
  const [field, k, ...rest] = path;
  if (typeof field !== 'string') return '';
  if (typeof k !== 'number') return `${field}: `;
  if (field === 'covariances' && rest.length === 0) return '';
  return `component ${k}: ${field.replace(/s$/, '')}${rest.map((i) => `[${String(i)}]`).join('')}: `;
}

/** Validates a mixture spec; throws StudioError 'invalid-argument' naming the component and the problem. */
export function parseMixture(spec: unknown): GaussianMixture {
  const result = gaussianMixtureSchema.safeParse(spec);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new StudioError('invalid-argument', `invalid Gaussian mixture: ${describePath(issue.path)}${issue.message}`);
}

/** A parsed mixture with each covariance's Cholesky factor, ready for sampling. */
interface FactoredMixture {
  readonly mixture: GaussianMixture;
  readonly d: number;
  readonly cumulative: Float64Array;
  readonly means: Float64Array[];
  readonly covariances: Matrix[];
  readonly choleskys: Matrix[];
}

/** Validates a mixture and factors its covariances. */
export function factorMixture(spec: unknown): FactoredMixture {
  const mixture = parseMixture(spec);
  const d = mixture.means[0].length;
  const cumulative = new Float64Array(mixture.weights.length);
  let acc = 0;
  mixture.weights.forEach((w, k) => (cumulative[k] = acc += w));
  const covariances = mixture.covariances.map((S) => toMatrix(S));
  // Parsing has already established positive definiteness, so the factors exist.
  const choleskys = covariances.map((S) => cholesky(S, d) as Matrix);
  return { mixture, d, cumulative, means: mixture.means.map((mu) => Float64Array.from(mu)), covariances, choleskys };
}

/** Picks a component index from the cumulative weights. */
function pickComponent(cumulative: Float64Array, u: number): number {
  for (let k = 0; k < cumulative.length - 1; k++) if (u < cumulative[k]) return k;
  return cumulative.length - 1;
}

/** n exact draws from the mixture as a Float64Array batch [n, d]. */
export function sampleMixture(f: FactoredMixture, n: number, rng: Rng): Batch<Float64Array> {
  checkInteger(n, 'sample count');
  const { d } = f;
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  const lz = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const k = pickComponent(f.cumulative, rng.uniform());
    rng.fillNormal(z);
    lowerVec(f.choleskys[k], d, z, lz);
    for (let j = 0; j < d; j++) out[i * d + j] = f.means[k][j] + lz[j];
  }
  return batch(out, [n, d]);
}
