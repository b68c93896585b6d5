// The TensorFlow backends' code path where the package loads, run on a stand-in binding (tfjs's cpu kernels registered as 'tensorflow'): the backend-choice tests of a machine that has it.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { activateCpu, cpuProvider } from '../../src-main/training/backends/cpu-backend';
import { onnxruntimeProvider } from '../../src-main/training/backends/onnxruntime-backend';
import { probeBackends } from '../../src-main/training/backends/probe-backends';
import { createBackendRegistry } from '../../src-main/training/backends/resolve-backend';
import { createTensorflowProvider } from '../../src-main/training/backends/tensorflow-backend';
import { resetTfjsNodeLoaderForTests, type ModuleImporter } from '../../src-main/training/backends/tfjs-node-loader';
import { wasmProvider } from '../../src-main/training/backends/wasm-backend';
import { describeBackendChoice } from './backend-choice-cases';
import { probeHere } from './installed-backends';

/*
 * libtensorflow cannot be downloaded on every machine that runs the tests, so the branch of backend-choice.test.ts for
 * a TensorFlow package that loads would run only where it does. Here the same tests run over providers whose importer
 * stands in for the package: it registers a tfjs backend named 'tensorflow' (tfjs's own cpu kernels under that name),
 * which is all the loader and the provider see of @tensorflow/tfjs-node. Everything after the import is the studio's
 * code: the loader's checks, the provider's device, resolveBackend, TfjsTrainer on the 'tensorflow' backend, and the
 * parity with the compiled step. TensorFlow's own kernels are what only a machine with the package tests.
 */

const CUDA_MISSING = 'libcudart.so.11.0: cannot open shared object file: No such file or directory';

/** Registers tfjs's cpu kernels and a cpu backend object under the name 'tensorflow'; gpu sets the flag tfjs-node-gpu's backend carries. */
function standIn(gpu: boolean): ModuleImporter {
  return async () => {
    await activateCpu();
    if (!tf.findBackendFactory('tensorflow')) {
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
    } else tf.removeBackend('tensorflow');
    tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: gpu }));
  };
}

const failing = (message: string): ModuleImporter => async () => {
  throw new Error(message);
};

// the GPU package fails for want of CUDA 11; the CPU package loads
const registry = createBackendRegistry([
  createTensorflowProvider('tensorflow-gpu', failing(CUDA_MISSING)),
  onnxruntimeProvider,
  createTensorflowProvider('tensorflow', standIn(false)),
  wasmProvider,
  cpuProvider,
]);
const found = await probeHere(registry);

describe('the stand-in', () => {
  it('is what the probe found: the GPU package missing CUDA, the CPU package loaded', () => {
    const at = (name: string) => found.find((b) => b.name === name);
    expect(at('tensorflow-gpu')).toEqual({ name: 'tensorflow-gpu', available: false, reason: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu needs CUDA 11\.2 \+ cuDNN 8\.1: libcudart\.so\.11\.0 is missing/), fix: expect.stringMatching(/^Install CUDA 11\.2 and cuDNN 8\.1/) });
    expect(at('tensorflow')).toEqual({ name: 'tensorflow', available: true, device: 'CPU (TensorFlow native via @tensorflow/tfjs-node)' });
  });
});

// wasm's and cpu's parity is backend-choice.test.ts's; here only the TensorFlow path is new
describeBackendChoice('stand-in binding', registry, found, ['tensorflow-gpu', 'tensorflow']);

// last: it resets the loader, which the tests above rely on
describe('the loader over the GPU stand-in', () => {
  it('a CUDA build on a GPU serves both TensorFlow backends; without a usable GPU it says so', async () => {
    resetTfjsNodeLoaderForTests();
    try {
      const onGpu = createBackendRegistry([createTensorflowProvider('tensorflow-gpu', standIn(true)), createTensorflowProvider('tensorflow', failing('the CPU package must not load beside the GPU one'))]);
      expect(await probeBackends(onGpu, ['tensorflow-gpu', 'tensorflow'])).toEqual([
        { name: 'tensorflow-gpu', available: true, device: 'CUDA GPU (TensorFlow via @tensorflow/tfjs-node-gpu)' },
        { name: 'tensorflow', available: true, device: 'CPU (TensorFlow native via @tensorflow/tfjs-node-gpu)' },
      ]);
      resetTfjsNodeLoaderForTests();
      const noGpu = createBackendRegistry([createTensorflowProvider('tensorflow-gpu', standIn(false))]);
      expect(await probeBackends(noGpu, ['tensorflow-gpu'])).toEqual([
        { name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu loaded, but TensorFlow found no usable CUDA GPU (driver, CUDA 11.2 and cuDNN 8.1 are needed)', fix: expect.stringMatching(/^Check the NVIDIA driver \(nvidia-smi\)/) },
      ]);
    } finally {
      resetTfjsNodeLoaderForTests();
    }
  });
});
