// The list of training-backend provider modules, in one place: every provider the studio ships is named here once.
import type { BackendProvider } from '../../../src-core/training/backend';
import { cpuProvider } from './cpu-backend';
import { onnxruntimeCudaProvider, onnxruntimeProvider, onnxruntimeWebgpuProvider } from './onnxruntime-backend';
import { tensorflowGpuProvider, tensorflowProvider } from './tensorflow-backend';
import { wasmProvider } from './wasm-backend';

/** Every provider the studio ships (order here does not matter: BACKEND_NAMES sets the priority). */
export const PROVIDERS: readonly BackendProvider[] = [
  onnxruntimeCudaProvider, tensorflowGpuProvider, onnxruntimeWebgpuProvider, onnxruntimeProvider, tensorflowProvider, wasmProvider, cpuProvider,
];
