// Particles of a linear SDE followed from one snapshot time to the next, keeping only the snapshots (memory stays [snapshots, n, d]).
import { batch } from '../batch';
import { checkInteger } from '../errors';
import type { Rng } from '../rng';
import { simulateLinearSde, uniformGrid, type LinearSde, type SimulationMethod } from '../simulate';
import type { LabContext } from './computation';

/** Particles at each snapshot time, flat [times, n, d]. */
interface Snapshots {
  readonly times: Float64Array;
  readonly frames: Float32Array;
}

/**
 * Simulates n particles from start (flat [n, d], at times[0]) through every later time of the increasing list,
 * with stepsPerGap steps between neighbours; progress is reported per gap.
 */
export async function simulateSnapshots(
  sde: LinearSde,
  times: Float64Array,
  start: Float64Array,
  d: number,
  options: { readonly stepsPerGap: number; readonly method: SimulationMethod; readonly rng: Rng; readonly ctx: LabContext },
): Promise<Snapshots> {
  checkInteger(options.stepsPerGap, 'steps per snapshot', 1);
  const n = start.length / d;
  const frames = new Float32Array(times.length * n * d);
  frames.set(start);
  let x = batch(Float32Array.from(start), [n, d]);
  for (let k = 0; k + 1 < times.length; k++) {
    await options.ctx.progress(k, times.length - 1);
    if (times[k + 1] > times[k]) {
      const r = simulateLinearSde(sde, uniformGrid(times[k], times[k + 1], options.stepsPerGap), { n, steps: options.stepsPerGap, start: x, rng: options.rng, method: options.method, signal: options.ctx.signal });
      const last = r.paths.subarray(options.stepsPerGap * n * d);
      x = batch(Float32Array.from(last), [n, d]);
    }
    frames.set(x.data, (k + 1) * n * d);
  }
  return { times, frames };
}
