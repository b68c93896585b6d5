// The 'tensorflow-gpu' and 'tensorflow' training backends: tfjs over TensorFlow's native library, loaded by tfjs-node-loader.
import * as tf from '@tensorflow/tfjs-core';
import { BackendRefusedError, type BackendName, type BackendProvider } from '../../../src-core/training/backend';
import { TfjsTrainer } from '../../../src-core/training/tfjs';
import { loadTfjsNode, type ModuleImporter, type TfjsNodeVariant } from './tfjs-node-loader';

function deviceOf(variant: TfjsNodeVariant, packageName: string): string {
  return variant === 'gpu' ? `CUDA GPU (TensorFlow via ${packageName})` : `CPU (TensorFlow native via ${packageName})`;
}

/** A provider over one variant of the native binding; the importer is replaceable for tests. */
export function createTensorflowProvider(name: Extract<BackendName, 'tensorflow' | 'tensorflow-gpu'>, importer?: ModuleImporter): BackendProvider {
  const variant: TfjsNodeVariant = name === 'tensorflow-gpu' ? 'gpu' : 'cpu';
  return {
    name,
    async probe() {
      const r = await loadTfjsNode(variant, importer);
      return r.ok ? { ok: true, device: deviceOf(variant, r.packageName) } : r;
    },
    async create(spec) {
      const r = await loadTfjsNode(variant, importer);
      if (!r.ok) throw new BackendRefusedError(r.reason, r.fix);
      if (tf.getBackend() !== 'tensorflow') await tf.setBackend('tensorflow');
      // TensorFlow's matmul takes transpose flags natively, so tfjs's own gradient needs no explicit transposes
      return new TfjsTrainer(spec, { name, device: deviceOf(variant, r.packageName), matMulGradient: 'tfjs' });
    },
  };
}

/** TensorFlow with CUDA (@tensorflow/tfjs-node-gpu). */
export const tensorflowGpuProvider: BackendProvider = createTensorflowProvider('tensorflow-gpu');

/** TensorFlow on the CPU (@tensorflow/tfjs-node). */
export const tensorflowProvider: BackendProvider = createTensorflowProvider('tensorflow');
