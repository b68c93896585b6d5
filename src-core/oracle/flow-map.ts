// The exact probability-flow map of one isotropic Gaussian N(mu, s^2 I): x_t = alpha_t mu + sqrt(alpha_t^2 s^2 + sigma_t^2) z.
import { batch, rowSize, type Batch } from '../batch';
import { StudioError, checkFinite } from '../errors';
import type { Schedule } from '../schedules/schedule';

/** Maps latent rows z (constant along the ODE path) to x_t for data N(mu, s^2 I); returns float64. */
export function gaussianFlowMap(mu: readonly number[], s: number, schedule: Schedule, t: number, z: Batch): Batch<Float64Array> {
  checkFinite(s, 's');
  checkFinite(t, 't');
  const d = mu.length;
  if (rowSize(z) !== d) throw new StudioError('invalid-shape', `mu has dimension ${d} but z has items of size ${rowSize(z)}`);
  const alpha = schedule.alpha(t);
  const sigma = schedule.sigma(t);
  const scale = Math.sqrt(alpha * alpha * s * s + sigma * sigma);
  const out = new Float64Array(z.data.length);
  for (let i = 0; i < out.length; i++) out[i] = alpha * mu[i % d] + scale * z.data[i];
  return batch(out, z.shape);
}
