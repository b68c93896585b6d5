// What a person does to get a backend (or ONNX Runtime for sampling) that cannot run here, one fix per known cause.

/** The fixes whose words do not depend on the package. */
export const FIXES = {
  /** tfjs-node-gpu is built against CUDA 11.2 and cuDNN 8.1 and finds no other version. */
  cudaLibraries: 'Install CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) where the loader finds them (LD_LIBRARY_PATH), then restart the studio.',
  /** The CUDA build loaded but TensorFlow saw no GPU it can use. */
  noGpu: 'Check the NVIDIA driver (nvidia-smi) and that CUDA 11.2 and cuDNN 8.1 are installed.',
  /** Both TensorFlow packages register the same tfjs backend, so the second one never loads. */
  oneTensorflow: 'Only one TensorFlow package loads per process: remove the other one, or force this backend in a new run.',
  /** ONNX Runtime did not load or could not run a test graph. */
  onnxruntime: 'Install or repair onnxruntime-node (npm install onnxruntime-node).',
  /** ONNX Runtime's CUDA provider is opt-in and needs CUDA 12 with cuDNN 9 and an NVIDIA driver. */
  onnxruntimeCuda: "Run npm run setup:cuda (Linux x64) to add ONNX Runtime's CUDA 12 provider; it needs an NVIDIA GPU and driver (nvidia-smi) with CUDA 12 and cuDNN 9 where the loader finds them (LD_LIBRARY_PATH), then restart the studio.",
  /** The WebGPU provider ships with onnxruntime-node but needs a GPU adapter (on Linux through Vulkan). */
  onnxruntimeWebgpu: 'Needs a GPU with a WebGPU-capable driver (on Linux a Vulkan driver and libvulkan.so.1); otherwise the other backends train.',
} as const;

/** An optional TensorFlow package that is not installed. */
export function installFix(packageName: string): string {
  return `npm install ${packageName} (an optional dependency; its install downloads libtensorflow, so it needs network access).`;
}

/** A TensorFlow package installed without its libtensorflow (the download of its install failed). */
export function rebuildFix(packageName: string): string {
  return `Rebuild it with network access: npm rebuild ${packageName}.`;
}
