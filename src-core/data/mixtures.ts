// Data sets that are exactly Gaussian mixtures: eight Gaussians on a ring, and any 2D mixture spec.
import { factorMixture, sampleMixture, type GaussianMixture } from '../oracle/mixture';
import { StudioError } from '../errors';
import { param } from './shapes';
import type { DatasetDefinition, ResolvedParams } from './types';

/** Eight equal components at angles 2 pi k / 8 on a ring, each N(center, noise^2 I). */
export const eightGaussians: DatasetDefinition = {
  id: 'eight-gaussians',
  label: 'Eight Gaussians',
  description: 'Eight round clusters on a ring: a mixture whose exact ideal model is known.',
  defaultNoise: 0.1,
  params: [param('radius', 'Radius', 'Distance of each cluster centre from the origin', 2, 0.5, 5, 0.1)],
  hasMixture: true,
  draw(p, rng, out) {
    const R = p.values.radius;
    // Points sit at the centres here; the common noise step makes each cluster N(centre, noise^2 I).
    for (let i = 0; i < p.count; i++) {
      const k = rng.int(8);
      out[2 * i] = R * Math.cos((Math.PI * k) / 4);
      out[2 * i + 1] = R * Math.sin((Math.PI * k) / 4);
    }
  },
  mixture(p) {
    // Point masses (noise 0) have no density, so there is no mixture to offer.
    if (p.noise === 0) return null;
    const R = p.values.radius;
    const v = p.noise * p.noise;
    return {
      weights: Array.from({ length: 8 }, () => 1 / 8),
      means: Array.from({ length: 8 }, (_, k) => [R * Math.cos((Math.PI * k) / 4), R * Math.sin((Math.PI * k) / 4)]),
      covariances: Array.from({ length: 8 }, () => [[v, 0], [0, v]]),
    };
  },
};

/** The mixture used by 'gaussian-mixture' when no spec is given: three correlated components. */
export const DEFAULT_MIXTURE: GaussianMixture = {
  weights: [0.5, 0.3, 0.2],
  means: [[-1.5, 0], [1.5, 1], [1, -1.5]],
  covariances: [
    [[0.3, 0.15], [0.15, 0.2]],
    [[0.1, 0], [0, 0.4]],
    [[0.2, -0.1], [-0.1, 0.15]],
  ],
};

function mixtureOf(p: ResolvedParams): GaussianMixture {
  const m = p.mixture ?? DEFAULT_MIXTURE;
  if (m.means[0].length !== 2) {
    throw new StudioError('invalid-argument', `param 'mixture' must be two-dimensional, got dimension ${m.means[0].length}`);
  }
  return m;
}

/** Any 2D Gaussian mixture given as a spec (param `mixture`), plus isotropic noise. */
export const gaussianMixture: DatasetDefinition = {
  id: 'gaussian-mixture',
  label: 'Gaussian mixture',
  description: 'A configurable mixture of correlated Gaussians: exact ideal model available.',
  defaultNoise: 0,
  params: [],
  hasMixture: true,
  takesMixture: true,
  draw(p, rng, out) {
    out.set(sampleMixture(factorMixture(mixtureOf(p)), p.count, rng).data);
  },
  mixture(p) {
    const m = mixtureOf(p);
    const v = p.noise * p.noise;
    // Independent noise adds noise^2 I to every component's covariance.
    return {
      weights: [...m.weights],
      means: m.means.map((mu) => [...mu]),
      covariances: m.covariances.map((S) => S.map((row, i) => row.map((x, j) => x + (i === j ? v : 0)))),
    };
  },
};
