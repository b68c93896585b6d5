// The sampling contract: options, results, per-step progress and the context every sampler runs in.
import type { FloatArray } from '../batch';
import type { Rng } from '../rng';
import type { Schedule } from '../schedules/schedule';

/** Anything with an aborted flag; an AbortSignal satisfies it. */
export interface CancelSignal {
  readonly aborted: boolean;
}

/** What onStep receives after each completed step. */
export interface StepInfo {
  /** Completed steps so far (1 after the first step). */
  readonly step: number;
  /** Steps planned; null for adaptive solvers, whose step count is not known in advance. */
  readonly total: number | null;
  /** The time the state has just reached. */
  readonly t: number;
  /** Network evaluations so far. */
  readonly nfe: number;
}

/** A named grid with a step count, or explicit decreasing times t_0 = t_max > ... > t_n = t_min. */
export type GridChoice = { readonly name: string; readonly steps: number; readonly tMax?: number; readonly tMin?: number } | Float64Array;

/**
 * Options shared by every sampler, plus the numeric ones only some samplers read (gamma, eta, ...): what each means, its
 * range and its default are declared with the samplers that read it in the registry. A sampler ignores the ones it does not read.
 */
export interface SampleOptions extends SamplerOptionValues {
  /** The time grid; default { name: 'uniform', steps: 50 } from t = 1 to the schedule's tMin. */
  readonly grid?: GridChoice;
  /** Source of the Gaussian noise of stochastic samplers. */
  readonly rng?: Rng;
  /** Explicit standard-normal noise, one array (the state's length) per draw, used before rng. */
  readonly noise?: readonly FloatArray[];
  /** Stops the run between network evaluations with a StudioError 'cancelled'. */
  readonly cancel?: CancelSignal;
  /** Progress callback, called once per completed step. */
  readonly onStep?: (info: StepInfo) => void;
  /** Rows whose state and predicted x0 are kept at every step. */
  readonly record?: { readonly indices: readonly number[] };
  /** Return the Tweedie estimate x0_hat at t_min instead of x_{t_min} (one extra evaluation). */
  readonly denoiseLast?: boolean;
}

/** The states and predicted x0 of the recorded rows, each [steps + 1, k, d] row-major. */
export interface Trajectory {
  readonly indices: readonly number[];
  readonly times: Float64Array;
  readonly x: Float32Array;
  readonly x0: Float32Array;
  readonly shape: readonly [number, number, number];
}

/** A sampler's output: the final batch (input buffer type), NFE, the times visited. */
export interface SampleResult<A extends FloatArray = FloatArray> {
  readonly x: { readonly data: A; readonly shape: readonly number[] };
  readonly nfe: number;
  readonly times: Float64Array;
  readonly trajectory?: Trajectory;
}

/** One network evaluation at (x, t), converted on demand into any quantity of MATH.md §2. */
export interface Prediction {
  readonly t: number;
  readonly x: FloatArray;
  velocity(): FloatArray;
  x0(): FloatArray;
  eps(): FloatArray;
  score(): FloatArray;
}

/** What a sampler function sees: the grid, the model behind evaluate(), noise, and step reporting. */
export interface SamplerContext {
  readonly schedule: Schedule;
  /** The batch shape [n, ...item]. */
  readonly shape: readonly number[];
  /** The grid; adaptive solvers use only its ends and first step as a hint. */
  readonly times: Float64Array;
  readonly options: SampleOptions;
  /** The value of one of the sampler's own options: the one given, else its declared default (already checked against its range). */
  option(name: SamplerOptionName): number;
  /** One network evaluation (counted in NFE; checks the cancel flag first). */
  evaluate(x: FloatArray, t: number): Promise<Prediction>;
  /** A fresh standard-normal array like x (explicit noise first, then rng; throws if neither). */
  noise(x: FloatArray): FloatArray;
  /** Reports that the state reached x at time t; `from` is the prediction at the step's start (for x0 records). */
  step(x: FloatArray, t: number, from: Prediction | null): void;
}

/** A sampler: integrates x from times[0] down to times[n] and returns the final state. */
export type SamplerFn = (x: FloatArray, ctx: SamplerContext) => Promise<FloatArray>;

/** Option names a sampler may read beyond the common ones, in the order the studio shows them. */
export const SAMPLER_OPTION_NAMES = ['gamma', 'eta', 'snr', 'correctorSteps', 'rtol', 'atol', 'maxNfe'] as const;
/** One of SAMPLER_OPTION_NAMES. */
export type SamplerOptionName = (typeof SAMPLER_OPTION_NAMES)[number];
/** Values of sampler options by name; one left out takes the sampler's default. */
export type SamplerOptionValues = { readonly [K in SamplerOptionName]?: number };

/** The kinds of sampler: ODE solvers, SDE solvers, ancestral samplers of a discrete chain, and Langevin dynamics alone. */
export const SAMPLER_KINDS = ['ode', 'sde', 'ancestral', 'langevin'] as const;
/** One of SAMPLER_KINDS. */
export type SamplerKind = (typeof SAMPLER_KINDS)[number];

/** One option a sampler reads: what a person sees of it, the values it takes (min and max included) and its default. */
export interface SamplerOptionSpec {
  readonly name: SamplerOptionName;
  readonly label: string;
  /** What the option does, in one line. */
  readonly meaning: string;
  readonly min: number;
  readonly max: number;
  /** True when only whole numbers are taken. */
  readonly integer: boolean;
  readonly default: number;
}

/** A registered sampler with the metadata a UI needs. */
export interface SamplerSpec {
  readonly label: string;
  readonly kind: SamplerKind;
  /** Network evaluations per step; 'adaptive' for dopri5; may depend on options (then the default). */
  readonly nfePerStep: number | 'adaptive';
  /** The options it reads, each declared here once with its range and default. */
  readonly options: readonly SamplerOptionSpec[];
  /** True when the sampler draws noise at its default options (it then needs rng or noise). */
  readonly stochastic: boolean;
  /** Where drawing noise depends on an option: it draws noise only while that option is above the value (ddim: eta > 0). */
  readonly noiseWhen?: { readonly option: SamplerOptionName; readonly above: number };
  readonly run: SamplerFn;
}
