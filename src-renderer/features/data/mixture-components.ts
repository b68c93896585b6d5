// The Gaussian-mixture editor's model: isotropic 2-D components (mean, weight, spread) and the request spec they make.
import type { DatasetRequest } from '../../../src-core/api/contract';

/** The built-in set whose components the editor changes. */
export const MIXTURE_SET = 'gaussian-mixture';
/** Most components the editor offers (more is slow to drag and hard to see). */
export const MAX_COMPONENTS = 8;

/** One component: N(mean, std^2 I) with a relative weight (normalised by the studio). */
export interface MixtureComponent {
  readonly mean: readonly [number, number];
  readonly weight: number;
  readonly std: number;
}

/** Where the editor starts: the placement of the studio's default mixture, with round spreads. */
export const INITIAL_MIXTURE: readonly MixtureComponent[] = [
  { mean: [-1.5, 0], weight: 0.5, std: 0.5 },
  { mean: [1.5, 1], weight: 0.3, std: 0.45 },
  { mean: [1, -1.5], weight: 0.2, std: 0.4 },
];

/** The `mixture` field of a generate request: weights, means and std^2 I covariances. */
export function mixtureSpec(components: readonly MixtureComponent[]): NonNullable<DatasetRequest['mixture']> {
  return {
    weights: components.map((c) => c.weight),
    means: components.map((c) => [c.mean[0], c.mean[1]]),
    covariances: components.map((c) => {
      const v = c.std * c.std;
      return [
        [v, 0],
        [0, v],
      ];
    }),
  };
}

/** Why a component's value cannot be used, or null when it can. */
export function componentProblem(c: MixtureComponent): string | null {
  if (!Number.isFinite(c.mean[0]) || !Number.isFinite(c.mean[1])) return 'the mean must be a finite point';
  if (!Number.isFinite(c.weight) || c.weight <= 0) return 'the weight must be a number above 0';
  if (!Number.isFinite(c.std) || c.std <= 0) return 'the spread must be a number above 0';
  if (c.std > 10) return 'the spread must be at most 10';
  return null;
}

/** A new component placed away from the others (on a ring, so repeated adds do not stack). */
export function nextComponent(existing: readonly MixtureComponent[]): MixtureComponent {
  const angle = (existing.length * 2 * Math.PI) / 5 + 0.4;
  return { mean: [Number((2 * Math.cos(angle)).toFixed(2)), Number((2 * Math.sin(angle)).toFixed(2))], weight: 0.25, std: 0.4 };
}
