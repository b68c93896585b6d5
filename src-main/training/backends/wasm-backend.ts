// The 'wasm' training backend: tfjs's WebAssembly kernels (XNNPACK) with SIMD, threads where the runtime allows them.
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type { BackendProvider } from '../../../src-core/training/backend';
import { TfjsTrainer } from '../../../src-core/training/tfjs';
import { activateTfjsBackend, errorMessage } from './tfjs-engine';

let device = 'WebAssembly';

/** The folder holding the backend's .wasm files (the package's dist/), with a trailing separator. */
function wasmDistFolder(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + sep;
}

/** Registers and activates tfjs's wasm backend (once per process); says whether SIMD and threads are on. */
export function activateWasm(): Promise<void> {
  return activateTfjsBackend('wasm', async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDistFolder());
    // tfjs turns wasm threads off under Node (its flag answers false there); in a browser with
    // cross-origin isolation they work, and more than 4 rarely pays for these layer sizes
    const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    if (threaded) wasm.setThreadsCount(Math.min(availableParallelism(), 4));
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = threaded ? `${Math.min(availableParallelism(), 4)} threads` : '1 thread (tfjs runs wasm single-threaded under Node)';
    device = `WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads})`;
  });
}

/** The provider of the 'wasm' backend. */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  async probe() {
    try {
      await activateWasm();
      return { ok: true, device };
    } catch (err) {
      return { ok: false, reason: `tfjs wasm backend failed to start: ${errorMessage(err)}`, fix: null };
    }
  },
  async create(spec) {
    await activateWasm();
    // about 6x faster than tfjs's own matMul gradient here (bench/tfjs-train-step.ts)
    return new TfjsTrainer(spec, { name: 'wasm', device, matMulGradient: 'custom' });
  },
};
