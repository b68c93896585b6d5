// Backend choice: the tfjs-node loader's fallback reasons, the provider registry, and resolveBackend on this machine and on fakes.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../src-core/errors';
import type { BackendName, BackendProvider, TrainingBackend } from '../../src-core/training/backend';
import { createTensorflowProvider } from '../../src-main/training/backends/tensorflow-backend';
import { loadTfjsNode, resetTfjsNodeLoaderForTests, tfjsNodeFailureReason } from '../../src-main/training/backends/tfjs-node-loader';
import { PROVIDERS } from '../../src-main/training/backends/providers';
import { backendRegistry, createBackendRegistry, resolveBackend } from '../../src-main/training/backends/resolve-backend';
import { OPT, freshState, smallModel, specOf } from './tfjs-fixtures';

const model = smallModel();
const spec = specOf(model, OPT, freshState(model, 1));

describe('the tfjs-node loader', () => {
  it('reports the native packages as not installed here', async () => {
    const cpu = await loadTfjsNode('cpu');
    const gpu = await loadTfjsNode('gpu');
    expect(cpu).toEqual({ ok: false, reason: expect.stringMatching(/^@tensorflow\/tfjs-node is not installed/) });
    expect(gpu).toEqual({ ok: false, reason: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu is not installed/) });
  });
  it('maps known load failures to reasons with their fix', () => {
    const cuda = new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node-gpu', cuda)).toMatch(/tfjs-node-gpu needs CUDA 11\.2 \+ cuDNN 8\.1: libcudart\.so\.11\.0 is missing/);
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node-gpu', new Error('libcudnn.so.8: cannot open shared object file'))).toMatch(/cuDNN 8\.1/);
    const lib = new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node', lib)).toMatch(/installed but libtensorflow is missing/);
    const binding = Object.assign(new Error("Cannot find module '/x/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'"), { code: 'MODULE_NOT_FOUND' });
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node', binding)).toMatch(/libtensorflow is missing/);
    const absent = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node' imported from /x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node', absent)).toMatch(/is not installed/);
    expect(tfjsNodeFailureReason('@tensorflow/tfjs-node', new Error('boom'))).toBe('@tensorflow/tfjs-node failed to load: boom');
  });
  it('carries the CUDA reason through the GPU provider', async () => {
    resetTfjsNodeLoaderForTests();
    try {
      const provider = createTensorflowProvider('tensorflow-gpu', async () => {
        throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
      });
      const probe = await provider.probe();
      expect(probe.ok).toBe(false);
      expect(!probe.ok && probe.reason).toMatch(/needs CUDA 11\.2 \+ cuDNN 8\.1/);
    } finally {
      resetTfjsNodeLoaderForTests();
    }
  });
});

describe('resolveBackend on this machine', () => {
  it("'auto' skips both TensorFlow backends with their reasons and lands on onnxruntime when present, else wasm", async () => {
    const registry = backendRegistry();
    const ort = registry.has('onnxruntime') ? await registry.get('onnxruntime').probe() : { ok: false };
    const r = await resolveBackend('auto', spec);
    try {
      expect(r.tried.slice(0, 1)).toEqual([{ name: 'tensorflow-gpu', reason: expect.stringMatching(/not installed/) }]);
      expect(r.backend.name).toBe(ort.ok ? 'onnxruntime' : 'wasm');
      if (!ort.ok) expect(r.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'onnxruntime', 'tensorflow']);
      expect(r.reason).toMatch(new RegExp(`^fastest backend that runs here: ${r.backend.name} on .+; skipped tensorflow-gpu: `));
    } finally {
      r.backend.dispose();
    }
  });
  it("without onnxruntime, 'auto' names why each TensorFlow backend was skipped and lands on wasm", async () => {
    const registry = createBackendRegistry(PROVIDERS.filter((p) => p.name !== 'onnxruntime'));
    const r = await resolveBackend('auto', spec, registry);
    try {
      expect(r.backend.name).toBe('wasm');
      expect(r.tried).toEqual([
        { name: 'tensorflow-gpu', reason: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu is not installed/) },
        { name: 'onnxruntime', reason: 'no provider is registered under this name' },
        { name: 'tensorflow', reason: expect.stringMatching(/^@tensorflow\/tfjs-node is not installed/) },
      ]);
    } finally {
      r.backend.dispose();
    }
  });
  it("forcing 'tensorflow' throws with the reason; forcing 'wasm' gives wasm", async () => {
    await expect(resolveBackend('tensorflow', spec)).rejects.toThrow(/'tensorflow' backend, which cannot run here: @tensorflow\/tfjs-node is not installed/);
    const r = await resolveBackend('wasm', spec);
    expect(r.backend.name).toBe('wasm');
    expect(r.backend.device).toMatch(/^WebAssembly \(SIMD, 1 thread/);
    r.backend.dispose();
  });
});

/** A provider whose probe and create behave as told. */
function fake(name: BackendName, probe: 'ok' | string, create: 'ok' | 'throws' = 'ok'): BackendProvider {
  const backend = { name, device: `fake ${name}`, dispose() {} } as unknown as TrainingBackend;
  return {
    name,
    probe: async () => (probe === 'ok' ? { ok: true, device: `fake ${name}` } : { ok: false, reason: probe }),
    create: async () => {
      if (create === 'throws') throw new Error('out of memory');
      return backend;
    },
  };
}

describe('resolveBackend on fakes', () => {
  it('tries in priority order, whatever the registration order, and falls through a failed create', async () => {
    const registry = createBackendRegistry([fake('cpu', 'ok'), fake('wasm', 'ok', 'throws'), fake('tensorflow-gpu', 'no GPU')]);
    const r = await resolveBackend('auto', spec, registry);
    expect(r.backend.name).toBe('cpu');
    expect(r.tried).toEqual([
      { name: 'tensorflow-gpu', reason: 'no GPU' },
      { name: 'onnxruntime', reason: 'no provider is registered under this name' },
      { name: 'tensorflow', reason: 'no provider is registered under this name' },
      { name: 'wasm', reason: 'present (fake wasm) but could not build this model: out of memory' },
    ]);
  });
  it('lists every reason when all fail, and refuses a provider registered twice', async () => {
    const registry = createBackendRegistry([fake('wasm', 'no wasm'), fake('cpu', 'no cpu')]);
    const err = await resolveBackend('auto', spec, registry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as Error).message).toMatch(/tensorflow-gpu: .*onnxruntime: .*tensorflow: .*wasm: no wasm; cpu: no cpu$/);
    expect(() => createBackendRegistry([fake('cpu', 'ok'), fake('cpu', 'ok')])).toThrow(/already registered/);
    await expect(resolveBackend('bogus' as BackendName, spec, registry)).rejects.toThrow(/unknown training backend 'bogus'/);
  });
});
