// Probing providers without building a model: each kind of failure comes back with its reason and fix, in the order asked, and nothing throws.
import { describe, expect, it } from 'vitest';
import type { BackendAvailability } from '../../../src-core/api/methods/training';
import { BACKEND_NAMES, type BackendName, type BackendProvider } from '../../../src-core/training/backend';
import { probeBackends } from './probe-backends';
import { createBackendRegistry } from './resolve-backend';

function fake(name: BackendName, probe: BackendProvider['probe']): BackendProvider {
  return {
    name,
    probe,
    create: () => Promise.reject(new Error('a probe must not build a backend')),
  };
}

describe('probeBackends over a fake registry', () => {
  it('reports a refusal (with the fix its provider knows), a throwing probe and a missing provider with their reasons, and a working one with its device', async () => {
    const registry = createBackendRegistry([
      fake('tensorflow-gpu', async () => ({ ok: false, reason: '@tensorflow/tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing', fix: 'Install CUDA 11.2' })),
      fake('onnxruntime', async () => {
        throw new Error('the native binding aborted');
      }),
      fake('wasm', async () => ({ ok: true, device: 'WebAssembly (SIMD, 1 thread)' })),
      fake('cpu', async () => ({ ok: true, device: 'CPU' })),
    ]);
    const seen: BackendAvailability[] = [];
    const out = await probeBackends(registry, BACKEND_NAMES, (r) => seen.push(r));
    const missing = (name: BackendName) => ({ name, available: false, reason: 'no provider is registered under this name', fix: null });
    expect(out).toEqual([
      missing('onnxruntime-cuda'),
      { name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1: libcudart.so.11.0 is missing', fix: 'Install CUDA 11.2' },
      missing('onnxruntime-webgpu'),
      { name: 'onnxruntime', available: false, reason: 'probe failed: the native binding aborted', fix: null },
      missing('tensorflow'),
      { name: 'wasm', available: true, device: 'WebAssembly (SIMD, 1 thread)' },
      { name: 'cpu', available: true, device: 'CPU' },
    ]);
    expect(seen).toEqual(out);
  });

  it('probes only what it is asked, in the order asked', async () => {
    const order: string[] = [];
    const registry = createBackendRegistry(BACKEND_NAMES.map((n) => fake(n, async () => (order.push(n), { ok: true, device: n }))));
    const out = await probeBackends(registry, ['cpu', 'wasm']);
    expect(order).toEqual(['cpu', 'wasm']);
    expect(out.map((r) => r.name)).toEqual(['cpu', 'wasm']);
  });
});
