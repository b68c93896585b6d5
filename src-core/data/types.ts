// The shape of a built-in 2D data set: UI metadata, its numeric parameters, and how it draws points.
import type { GaussianMixture } from '../oracle/mixture';
import type { Rng } from '../rng';

/** One numeric parameter of a data set, with what a UI needs to offer it. */
export interface DatasetParam {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
}

/** Parameters after validation, with every default filled in. */
export interface ResolvedParams {
  readonly count: number;
  readonly noise: number;
  readonly seed: number;
  /** The data set's own numeric parameters by name. */
  readonly values: Readonly<Record<string, number>>;
  /** A mixture spec, for the data sets that take one. */
  readonly mixture: GaussianMixture | null;
}

/** A registered data set. */
export interface DatasetDefinition {
  readonly id: string;
  readonly label: string;
  /** One line for the UI. */
  readonly description: string;
  /** Std of the isotropic Gaussian noise added to every point unless the caller sets `noise`. */
  readonly defaultNoise: number;
  /** The set's own numeric parameters (count, noise and seed are common to all). */
  readonly params: readonly DatasetParam[];
  /** True if the set is exactly a Gaussian mixture (the exact oracle applies). */
  readonly hasMixture: boolean;
  /** True if the set accepts a `mixture` spec among its parameters. */
  readonly takesMixture?: boolean;
  /** Writes count clean points (before noise) into out, row-major [count, 2]. */
  draw(p: ResolvedParams, rng: Rng, out: Float64Array): void;
  /** The exact mixture the generated points follow, noise included; null where it has no density. */
  mixture?(p: ResolvedParams): GaussianMixture | null;
}

/** What a caller passes: common parameters, the set's own, and for some a mixture spec. */
export interface DatasetParamsInput {
  readonly count?: number;
  readonly noise?: number;
  readonly seed?: number;
  readonly mixture?: unknown;
  readonly [param: string]: unknown;
}
