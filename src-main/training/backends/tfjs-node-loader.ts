// The one module that loads @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu; a failure comes back as a reason with the fix a person applies.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendRefused } from '../../../src-core/training/backend';
import { FIXES, installFix, rebuildFix } from './backend-fixes';
import { errorMessage } from './tfjs-engine';

/** Which TensorFlow binding: the CUDA build or the CPU build. */
export type TfjsNodeVariant = 'gpu' | 'cpu';

/** The outcome of loading a binding: its tfjs backend is 'tensorflow' either way. */
type TfjsNodeLoad = { readonly ok: true; readonly packageName: string; readonly gpu: boolean } | BackendRefused;

/** Imports a module by name (replaceable in tests). */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** The npm package of a variant. */
export function tfjsNodePackage(variant: TfjsNodeVariant): string {
  return variant === 'gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a load failure (the loader's own error, read where it is caught) to a reason and its fix: CUDA/cuDNN libraries, libtensorflow, or the package itself missing. */
export function tfjsNodeFailure(packageName: string, err: unknown): BackendRefused {
  const msg = errorMessage(err);
  const refused = (reason: string, fix: string | null): BackendRefused => ({ ok: false, reason, fix });
  if (/libcudart\.so\.11/.test(msg)) {
    return refused(`${packageName} needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing (CUDA 12 alone does not satisfy it); install CUDA 11.2 and cuDNN 8.1 next to it, or train on another backend`, FIXES.cudaLibraries);
  }
  if (/libcudnn\.so\.8/.test(msg)) return refused(`${packageName} needs CUDA 11.2 + cuDNN 8.1: libcudnn.so.8 is missing; install cuDNN 8.1, or train on another backend`, FIXES.cudaLibraries);
  if (/lib(cublas|cublasLt|cufft|curand|cusolver|cusparse)\.so/.test(msg)) {
    return refused(`${packageName} needs CUDA 11.2 + cuDNN 8.1: a CUDA library is missing (${msg.split(':')[0].trim()}); install CUDA 11.2, or train on another backend`, FIXES.cudaLibraries);
  }
  if (/libtensorflow|tfjs_binding\.node/.test(msg)) {
    return refused(`${packageName} is installed but libtensorflow is missing (its install downloads it and that failed); reinstall with network access (npm rebuild ${packageName}): ${msg}`, rebuildFix(packageName));
  }
  const code = errorCode(err);
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to (load|resolve)/.test(msg);
  if (notFound && msg.includes(packageName)) {
    return refused(`${packageName} is not installed (an optional dependency whose install downloads libtensorflow; here it was skipped or failed)`, installFix(packageName));
  }
  return refused(`${packageName} failed to load: ${msg}`, null);
}

// both packages register a backend named 'tensorflow', so at most one may load into a process
let loaded: { variant: TfjsNodeVariant; packageName: string } | null = null;
const attempts = new Map<TfjsNodeVariant, Promise<TfjsNodeLoad>>();

const defaultImporter: ModuleImporter = (specifier) => import(/* @vite-ignore */ specifier);

async function attempt(variant: TfjsNodeVariant, importer: ModuleImporter): Promise<TfjsNodeLoad> {
  const packageName = tfjsNodePackage(variant);
  // the CUDA build also runs TensorFlow on the CPU, so it can serve the CPU backend too
  if (loaded && loaded.variant === 'gpu' && variant === 'cpu') return { ok: true, packageName: loaded.packageName, gpu: false };
  if (loaded && loaded.variant !== variant) {
    return { ok: false, reason: `${packageName} cannot load beside ${loaded.packageName}, already loaded in this process (both are TensorFlow's 'tensorflow' backend)`, fix: FIXES.oneTensorflow };
  }
  try {
    await importer(packageName);
  } catch (err) {
    return tfjsNodeFailure(packageName, err);
  }
  loaded = { variant, packageName };
  try {
    if (!(await tf.setBackend('tensorflow'))) return { ok: false, reason: `${packageName} loaded but its 'tensorflow' backend did not start`, fix: null };
  } catch (err) {
    return tfjsNodeFailure(packageName, err);
  }
  // the CUDA build runs on the CPU when TensorFlow finds no usable GPU; it says so on its backend object
  const usingGpu = (tf.findBackend('tensorflow') as unknown as { isUsingGpuDevice?: boolean } | null)?.isUsingGpuDevice === true;
  if (variant === 'gpu' && !usingGpu) {
    return { ok: false, reason: `${packageName} loaded, but TensorFlow found no usable CUDA GPU (driver, CUDA 11.2 and cuDNN 8.1 are needed)`, fix: FIXES.noGpu };
  }
  return { ok: true, packageName, gpu: usingGpu };
}

/** Loads a variant once per process (later calls return the first outcome); never throws. */
export function loadTfjsNode(variant: TfjsNodeVariant, importer: ModuleImporter = defaultImporter): Promise<TfjsNodeLoad> {
  let p = attempts.get(variant);
  if (!p) {
    p = attempt(variant, importer);
    attempts.set(variant, p);
  }
  return p;
}

/** Forgets earlier outcomes (tests only: a loaded native binding cannot really be unloaded). */
export function resetTfjsNodeLoaderForTests(): void {
  attempts.clear();
  loaded = null;
}
