// The 'cpu' training backend: tfjs's plain JavaScript kernels (@tensorflow/tfjs-backend-cpu), the last resort.
import type { BackendProvider } from '../../../src-core/training/backend';
import { TfjsTrainer } from '../../../src-core/training/tfjs';
import { activateTfjsBackend, errorMessage } from './tfjs-engine';

const DEVICE = 'CPU (tfjs JavaScript kernels, 1 thread)';

/** Registers and activates tfjs's cpu backend (once per process). */
export function activateCpu(): Promise<void> {
  return activateTfjsBackend('cpu', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  });
}

/** The provider of the 'cpu' backend. */
export const cpuProvider: BackendProvider = {
  name: 'cpu',
  async probe() {
    try {
      await activateCpu();
      return { ok: true, device: DEVICE };
    } catch (err) {
      return { ok: false, reason: `tfjs cpu backend failed to start: ${errorMessage(err)}`, fix: null };
    }
  },
  async create(spec) {
    await activateCpu();
    // the custom matMul gradient pays off on wasm only; on these kernels it measured slightly slower (bench/tfjs-train-step.ts)
    return new TfjsTrainer(spec, { name: 'cpu', device: DEVICE, matMulGradient: 'tfjs' });
  },
};
