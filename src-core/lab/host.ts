// What the process running a Lab computation lends it beyond its params: a tfjs backend, the workspace's runs, MNIST digits.
import { StudioError } from '../errors';
import type { BackendSpec, TrainingBackend } from '../training/backend';
import type { DataRef, TrainingConfig } from '../training/config';

/** A tfjs backend made active in this process, in words. */
export interface LabTensorBackend {
  /** The training backend of the same name ('tensorflow' is TensorFlow's native library through tfjs-node). */
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  readonly device: string;
}

/** A workspace run's latest checkpoint as the Lab reads it: enough to rebuild its network and evaluate it. */
export interface LabRun {
  readonly id: string;
  readonly name: string;
  /** The training step of the checkpoint. */
  readonly step: number;
  readonly config: TrainingConfig;
  readonly itemShape: readonly number[];
  /** Data = x_n * scale + mean per dimension; null where the run trained in data units. */
  readonly normalisation: { readonly mean: readonly number[]; readonly scale: readonly number[] } | null;
  /** The checkpoint's moving-average weights in the network's flat layout. */
  readonly weights: Float32Array;
  /** Where the run's data came from, as far as the Lab can draw fresh items of it. */
  readonly data: LabRunData;
}

/** A run's data: a built-in generator (fresh draws from another seed), MNIST digits saved as a set (the first `count` taken round-robin), or another saved set. */
export type LabRunData =
  | { readonly kind: 'builtin'; readonly ref: DataRef & { source: 'builtin' } }
  | { readonly kind: 'mnist'; readonly setId: string; readonly digits: readonly number[]; readonly count: number }
  | { readonly kind: 'saved'; readonly setId: string };

/** MNIST images [n, 1, 28, 28] with values k / 255 rounded to three decimals (as the `mnist` package holds them). */
interface LabImages {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** The host's services; each throws 'not-found' (with what is missing) where this process has none. */
export interface LabHost {
  /** Makes a tfjs backend active here (the fastest that starts) and names it; computations that train or differentiate call it first. */
  tensors(): Promise<LabTensorBackend>;
  /** A training backend for the spec, chosen as a run's 'auto' choice is (the compiled ONNX step where it builds). */
  trainingBackend(spec: BackendSpec): Promise<TrainingBackend>;
  /** A run of the workspace by id, at its latest checkpoint. */
  openRun(runId: string): Promise<LabRun>;
  /** The first `count` images of the digits, taken round-robin over them as the Data section's 'Add MNIST' takes them. */
  mnist(digits: readonly number[], count: number): Promise<LabImages>;
}

const none = (what: string) => (): never => {
  throw new StudioError('not-found', `${what} is not available where this Lab computation runs`);
};

/** A host with nothing to lend (a bare driver): every service says so. */
export const NO_LAB_HOST: LabHost = {
  tensors: none('a tfjs backend'),
  trainingBackend: none('a training backend'),
  openRun: none("the workspace's runs"),
  mnist: none('the MNIST digits'),
};
