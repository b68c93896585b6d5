// The sample-metric methods of the API: two point sets in, the engine's distances between them out.
import type { DomainHandlers } from '../../src-core/api/dispatcher';
import { DEFAULT_PROJECTIONS, EXACT_W2_MAX, EXACT_W2_NOTE, type CompareParams, type CompareResult, type METRIC_METHODS } from '../../src-core/api/methods/metrics';
import { batch } from '../../src-core/batch';
import { checkAllFinite } from '../../src-core/errors';
import { energyDistance, exactW2Squared, mmd2, slicedW2Squared } from '../../src-core/metrics';
import { Rng } from '../../src-core/rng';

/** MMD^2, energy distance, sliced W2^2 and (for equal sizes up to EXACT_W2_MAX) exact W2^2 between two point sets. */
function comparePointSets(p: CompareParams): CompareResult {
  checkAllFinite(p.samples.data, 'samples');
  checkAllFinite(p.reference.data, 'reference');
  // float64 throughout, as the metrics sum many small terms
  const x = batch(Float64Array.from(p.samples.data), p.samples.shape);
  const y = batch(Float64Array.from(p.reference.data), p.reference.shape);
  const [n, dim] = p.samples.shape;
  const m = p.reference.shape[0];
  const rng = new Rng(p.seed ?? 0);
  const exact = n === m && n <= EXACT_W2_MAX ? exactW2Squared(x, y) : null;
  return {
    n,
    m,
    dim,
    mmd2: mmd2(x, y),
    energyDistance: energyDistance(x, y),
    slicedW2Squared: slicedW2Squared(x, y, { rng, projections: p.projections ?? DEFAULT_PROJECTIONS }),
    exactW2Squared: exact,
    ...(exact === null ? { exactW2Note: EXACT_W2_NOTE } : {}),
  };
}

/** The handlers of the metric methods. Each runs where the host runs, bounded by the schema's caps on points and directions. */
export function metricHandlers(): DomainHandlers<typeof METRIC_METHODS> {
  return { 'metrics.compare': (p) => comparePointSets(p) };
}
