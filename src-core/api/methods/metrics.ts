// Sample-metric methods of the API: how far apart two point sets are (MMD^2, energy distance, sliced and exact W2^2).
import { z } from 'zod';

/** Largest sample size for which metrics.compare computes the exact W2 (an n x n assignment). */
export const EXACT_W2_MAX = 2000;
/** Most points one set of metrics.compare may hold (the pairwise metrics cost n m). */
const MAX_METRIC_POINTS = 1_000_000;
/** Most random directions the sliced W2 may draw. */
export const MAX_PROJECTIONS = 100_000;
/** Directions the sliced W2 draws when the caller names none. */
export const DEFAULT_PROJECTIONS = 256;

/** Why the exact W2 was left out: sizes differ, or they pass EXACT_W2_MAX. */
export const EXACT_W2_NOTE = `exact W2 needs equal sizes up to ${EXACT_W2_MAX}`;

/**
 * A point set: n points of d numbers, row-major. data is the one typed-array slot (Float32Array or Float64Array);
 * the shape says how to read it and must account for every number.
 */
const pointSet = z
  .object({
    data: z.union([z.instanceof(Float32Array), z.instanceof(Float64Array)]),
    shape: z.tuple([z.number().int().min(2).max(MAX_METRIC_POINTS), z.number().int().min(1)]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const size = p.shape[0] * p.shape[1];
    if (size !== p.data.length) ctx.addIssue({ code: 'custom', path: ['shape'], message: `[${p.shape.join(', ')}] holds ${size} numbers but data has ${p.data.length}` });
  });

const compareParams = z
  .object({
    samples: pointSet,
    reference: pointSet,
    /** Seed of the sliced W2's random directions. */
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    projections: z.number().int().min(1).max(MAX_PROJECTIONS).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const [d, e] = [p.samples.shape[1], p.reference.shape[1]];
    if (d !== e) ctx.addIssue({ code: 'custom', path: ['reference', 'shape', 1], message: `points of size ${e} cannot be compared with samples of size ${d}` });
  });

const compareResult = z.object({
  n: z.number().int(),
  m: z.number().int(),
  dim: z.number().int(),
  /** Unbiased MMD^2 with RBF kernels at multiples of the median pairwise distance. */
  mmd2: z.number(),
  energyDistance: z.number(),
  slicedW2Squared: z.number(),
  /** null when the sizes differ or pass EXACT_W2_MAX; exactW2Note then says so. */
  exactW2Squared: z.number().nullable(),
  exactW2Note: z.string().optional(),
});

/** Metric methods: request and reply schemas. */
export const METRIC_METHODS = {
  'metrics.compare': { params: compareParams, result: compareResult },
} as const;

/** The parameters of metrics.compare. */
export type CompareParams = z.infer<typeof compareParams>;
/** What metrics.compare returns. */
export type CompareResult = z.infer<typeof compareResult>;
