// The process's one tfjs engine: each tfjs backend is registered and initialised once, then switched to on demand.
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../../src-core/errors';

const initialised = new Map<string, Promise<void>>();

/**
 * Makes the named tfjs backend the active one; `register` (importing the backend package, setting its options) runs
 * only the first time. A failed start is forgotten so a later call may try again.
 */
export async function activateTfjsBackend(name: string, register: () => Promise<void>): Promise<void> {
  let ready = initialised.get(name);
  if (!ready) {
    ready = (async () => {
      // production mode only silences tfjs's console advice (such as installing tfjs-node, which the loader already tries)
      tf.enableProdMode();
      await register();
      if (!(await tf.setBackend(name))) throw new StudioError('internal', `the tfjs backend '${name}' did not start${await startFailure(name)}`);
    })();
    initialised.set(name, ready);
    ready.catch(() => initialised.delete(name));
  }
  await ready;
  if (tf.getBackend() !== name) await tf.setBackend(name);
}

/**
 * Why a backend did not start: tfjs's setBackend answers only false and prints the error, so the factory runs once
 * more to catch it (wasm out of address space, say); empty when that attempt gives no error.
 */
async function startFailure(name: string): Promise<string> {
  try {
    await tf.findBackendFactory(name)?.();
    return '';
  } catch (err) {
    return `: ${errorMessage(err)}`;
  }
}

/** The message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
