// Backend choice on this machine as installed: each backend is tried the way the studio's probe tries it, then trained against the compiled step or followed through its fallback; the loader's reasons and the resolver on fakes.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../src-core/errors';
import { BackendRefusedError, type BackendName, type BackendProvider, type OptimiserSettings, type TrainingBackend } from '../../src-core/training/backend';
import { cpuProvider } from '../../src-main/training/backends/cpu-backend';
import { loadTfjsNode, tfjsNodeFailure, tfjsNodePackage } from '../../src-main/training/backends/tfjs-node-loader';
import { backendRegistry, createBackendRegistry, decisionOf, resolveBackend } from '../../src-main/training/backends/resolve-backend';
import { describeBackendChoice } from './backend-choice-cases';
import { PARITY_BOUNDS, measureParity } from './compiled-step-parity';
import { TENSORFLOW_BACKENDS, probeHere } from './installed-backends';
import { OPT, freshState, smallModel, specOf } from './tfjs-fixtures';

// On Ampere and later GPUs TensorFlow runs float32 matmuls in TF32 (a 10-bit mantissa, ~1e-3 relative) unless this
// is set before it loads; the parity bounds are float32's, and what they check is the code path, not the GPU's mode.
process.env.NVIDIA_TF32_OVERRIDE ??= '0';
const found = await probeHere();

describeBackendChoice('this machine', backendRegistry(), found);

describe('the tfjs-node loader', () => {
  it("gives each variant's outcome once per process: what the probe found", async () => {
    for (const name of TENSORFLOW_BACKENDS) {
      const variant = name === 'tensorflow-gpu' ? 'gpu' : 'cpu';
      const r = await loadTfjsNode(variant);
      const here = found.find((b) => b.name === name);
      if (r.ok) expect(here).toEqual({ name, available: true, device: expect.stringContaining(r.packageName) });
      else expect(here).toEqual({ name, available: false, reason: r.reason, fix: r.fix });
      // the CUDA build can serve the CPU backend; the CPU build never serves the GPU one
      if (r.ok) expect(r.packageName === tfjsNodePackage(variant) || (variant === 'cpu' && r.packageName === tfjsNodePackage('gpu'))).toBe(true);
    }
  });
  it('maps known load failures to reasons with their fix', () => {
    const cuda = tfjsNodeFailure('@tensorflow/tfjs-node-gpu', new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'));
    expect(cuda.reason).toMatch(/tfjs-node-gpu needs CUDA 11\.2 \+ cuDNN 8\.1: libcudart\.so\.11\.0 is missing/);
    expect(cuda.fix).toMatch(/^Install CUDA 11\.2 and cuDNN 8\.1 \(libcudart\.so\.11\.0, libcudnn\.so\.8\)/);
    const cudnn = tfjsNodeFailure('@tensorflow/tfjs-node-gpu', new Error('libcudnn.so.8: cannot open shared object file'));
    expect(cudnn.reason).toMatch(/cuDNN 8\.1/);
    expect(cudnn.fix).toBe(cuda.fix);
    expect(tfjsNodeFailure('@tensorflow/tfjs-node-gpu', new Error('libcublasLt.so.11: cannot open shared object file')).fix).toBe(cuda.fix);
    const lib = tfjsNodeFailure('@tensorflow/tfjs-node', new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'));
    expect(lib.reason).toMatch(/installed but libtensorflow is missing/);
    expect(lib.fix).toBe('Rebuild it with network access: npm rebuild @tensorflow/tfjs-node.');
    const binding = Object.assign(new Error("Cannot find module '/x/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'"), { code: 'MODULE_NOT_FOUND' });
    expect(tfjsNodeFailure('@tensorflow/tfjs-node', binding).reason).toMatch(/libtensorflow is missing/);
    const absent = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const notInstalled = tfjsNodeFailure('@tensorflow/tfjs-node-gpu', absent);
    expect(notInstalled.reason).toMatch(/is not installed/);
    expect(notInstalled.fix).toMatch(/^npm install @tensorflow\/tfjs-node-gpu \(an optional dependency/);
    expect(tfjsNodeFailure('@tensorflow/tfjs-node', new Error('boom'))).toEqual({ ok: false, reason: '@tensorflow/tfjs-node failed to load: boom', fix: null });
  });
});

describe('the parity check', () => {
  it('tells apart a backend that leaves out the weight decay (the smallest change probed) by over 10x its bounds', async () => {
    const noDecay: BackendProvider = {
      ...cpuProvider,
      create: (spec) => cpuProvider.create({ ...spec, optimiser: { ...spec.optimiser, weightDecay: 0 } satisfies OptimiserSettings }),
    };
    const f = await measureParity(noDecay);
    // measured: update 2.9e-2, EMA change 2.9e-2, m 9.6e-4, gradient norm 2.0e-3
    expect(f.update).toBeGreaterThan(10 * PARITY_BOUNDS.update);
    expect(f.ema).toBeGreaterThan(10 * PARITY_BOUNDS.ema);
    expect(f.m).toBeGreaterThan(10 * PARITY_BOUNDS.m);
  }, 60_000);
});

/** A provider whose probe and create behave as told. */
function fake(name: BackendName, probe: 'ok' | string, create: 'ok' | 'throws' | 'refuses' = 'ok'): BackendProvider {
  const backend = { name, device: `fake ${name}`, dispose() {} } as unknown as TrainingBackend;
  return {
    name,
    probe: async () => (probe === 'ok' ? { ok: true, device: `fake ${name}` } : { ok: false, reason: probe, fix: `fix for ${name}` }),
    create: async () => {
      if (create === 'throws') throw new Error('out of memory');
      if (create === 'refuses') throw new BackendRefusedError('its library went missing', `fix for ${name}`);
      return backend;
    },
  };
}

describe('resolveBackend', () => {
  const model = smallModel();
  const spec = specOf(model, OPT, freshState(model, 1));
  it('on fakes: tries in priority order, whatever the registration order, and falls through a failed create', async () => {
    const registry = createBackendRegistry([fake('cpu', 'ok'), fake('wasm', 'ok', 'throws'), fake('tensorflow-gpu', 'no GPU')]);
    const r = await resolveBackend('auto', spec, registry);
    expect(r.backend.name).toBe('cpu');
    expect(r.tried).toEqual([
      { name: 'onnxruntime-cuda', reason: 'no provider is registered under this name', fix: null },
      { name: 'tensorflow-gpu', reason: 'no GPU', fix: 'fix for tensorflow-gpu' },
      { name: 'onnxruntime-webgpu', reason: 'no provider is registered under this name', fix: null },
      { name: 'onnxruntime', reason: 'no provider is registered under this name', fix: null },
      { name: 'tensorflow', reason: 'no provider is registered under this name', fix: null },
      { name: 'wasm', reason: 'present (fake wasm) but could not build this model: out of memory', fix: null },
    ]);
    expect(r.how).toBe('auto');
  });
  it('on fakes: a create that fails for a cause its provider knows carries the fix; a forced backend records how it was chosen', async () => {
    const registry = createBackendRegistry([fake('tensorflow', 'ok', 'refuses'), fake('cpu', 'ok')]);
    const r = await resolveBackend('auto', spec, registry);
    expect(r.tried.find((t) => t.name === 'tensorflow')).toEqual({ name: 'tensorflow', reason: 'present (fake tensorflow) but could not build this model: its library went missing', fix: 'fix for tensorflow' });
    expect(decisionOf(r)).toEqual({ name: 'cpu', device: 'fake cpu', how: 'auto', tried: r.tried });
    const forced = await resolveBackend('cpu', spec, registry);
    expect(decisionOf(forced)).toEqual({ name: 'cpu', device: 'fake cpu', how: 'forced', tried: [] });
  });
  it('on fakes: lists every reason when all fail, and refuses a provider registered twice', async () => {
    const registry = createBackendRegistry([fake('wasm', 'no wasm'), fake('cpu', 'no cpu')]);
    const err = await resolveBackend('auto', spec, registry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as Error).message).toMatch(/tensorflow-gpu: .*onnxruntime: .*tensorflow: .*wasm: no wasm; cpu: no cpu$/);
    expect(() => createBackendRegistry([fake('cpu', 'ok'), fake('cpu', 'ok')])).toThrow(/already registered/);
    await expect(resolveBackend('bogus' as BackendName, spec, registry)).rejects.toThrow(/unknown training backend 'bogus'/);
  });
  it('on fakes: auto passes over a backend to avoid with its reason; a run that names it still gets it', async () => {
    const registry = createBackendRegistry([fake('onnxruntime', 'ok'), fake('cpu', 'ok')]);
    const avoid = [{ name: 'onnxruntime' as const, reason: 'the probe process exited with code 134 while trying it' }];
    const r = await resolveBackend('auto', spec, registry, avoid);
    expect(r.backend.name).toBe('cpu');
    expect(r.tried).toContainEqual({ name: 'onnxruntime', reason: 'the probe process exited with code 134 while trying it', fix: null });
    expect((await resolveBackend('auto', spec, registry)).backend.name).toBe('onnxruntime');
    expect((await resolveBackend('onnxruntime', spec, registry, avoid)).backend.name).toBe('onnxruntime');
  });
  it("forcing 'wasm' gives wasm on WebAssembly", async () => {
    const r = await resolveBackend('wasm', spec);
    expect(r.backend.name).toBe('wasm');
    expect(r.backend.device).toMatch(/^WebAssembly \((no )?SIMD, 1 thread/);
    r.backend.dispose();
  });
});
