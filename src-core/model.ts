// The one model interface every sampler, metric and likelihood routine consumes.
import type { Batch, FloatArray } from './batch';
import type { Schedule } from './schedules/schedule';

/** What a network predicts (MATH.md §2). */
export type Parameterisation = 'eps' | 'x0' | 'score' | 'v' | 'velocity';

/** Every parameterisation, in a fixed order. */
export const PARAMETERISATIONS: readonly Parameterisation[] = ['eps', 'x0', 'score', 'v', 'velocity'];

/**
 * A denoising model: for a batch x at time t (one time for the whole batch) it returns its
 * prediction, a buffer of x.data's length, synchronously or as a promise. Trained networks
 * (ONNX, tfjs) and the analytic oracle all implement it.
 */
export interface Model {
  readonly parameterisation: Parameterisation;
  readonly schedule: Schedule;
  predict(x: Batch, t: number): FloatArray | Promise<FloatArray>;
}
