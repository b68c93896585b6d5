// Small fixtures for the data-set tests: PNG images made in memory and a catcher for StudioErrors.
import { encode as encodePng } from 'fast-png';
import { StudioError } from '../../src-core/errors';

/** An 8-bit PNG whose pixel p, channel c holds (p * 7 + c * 50 + seed) mod 256. */
export function pngOf(width: number, height: number, channels: 1 | 3 | 4, seed = 0): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * channels);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < channels; c++) data[p * channels + c] = (p * 7 + c * 50 + seed) % 256;
  return new Uint8Array(encodePng({ width, height, data, channels, depth: 8 }));
}

/** The StudioError a call throws (fails the test when it throws nothing or something else). */
export function failure(run: () => unknown): StudioError {
  try {
    run();
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a StudioError');
}

/** The StudioError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a StudioError');
}
