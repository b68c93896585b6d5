// The compiled step on ONNX Runtime's GPU providers: what their probes say where the provider is absent, and how 'auto' and the run's decision follow.
import { describe, expect, it } from 'vitest';
import { backendDecisionSchema } from '../../../src-core/training/backend-decision';
import { buildMlp, initParams } from '../../../src-core/graph';
import { Rng } from '../../../src-core/rng';
import { BackendRefusedError, type BackendProvider, type BackendSpec, type OptimiserSettings } from '../../../src-core/training/backend';
import { checkProvider } from '../../ort/execution-provider';
import { cudaProviderInstalled } from '../../ort/ort-session';
import { FIXES } from './backend-fixes';
import { createOnnxruntimeBackend, onnxruntimeCudaProvider, onnxruntimeProvider, onnxruntimeWebgpuProvider } from './onnxruntime-backend';
import { createBackendRegistry, decisionOf, resolveBackend } from './resolve-backend';

const OPT: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.9 };
const model = buildMlp({ dataDim: 2, hidden: [8], timeEmbedding: { kind: 'sinusoidal', dim: 4 }, residual: false });

function spec(): BackendSpec {
  const params = initParams(model.layout, new Rng(3));
  const P = params.length;
  return { graph: model.graph, layout: model.layout, optimiser: OPT, batchSize: 8, state: { step: 0, params, m: new Float32Array(P), v: new Float32Array(P), ema: params.slice() } };
}

// this machine has no GPU and no CUDA provider library: the tests below are those of an absent provider
const cudaHere = cudaProviderInstalled();

describe("ONNX Runtime's CUDA provider where it is absent", () => {
  it.runIf(!cudaHere)('its probe says the provider library is missing, with the setup step as the fix', async () => {
    expect(await onnxruntimeCudaProvider.probe()).toEqual({ ok: false, reason: "ONNX Runtime's CUDA provider is not installed", fix: FIXES.onnxruntimeCuda });
    expect(FIXES.onnxruntimeCuda).toMatch(/npm run setup:cuda/);
  });

  it.runIf(!cudaHere)('asked for by name, it refuses with the same reason and fix instead of training on the CPU', async () => {
    const err = await createOnnxruntimeBackend(spec(), { threads: 1, provider: 'cuda' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendRefusedError);
    expect((err as BackendRefusedError).message).toBe("ONNX Runtime's CUDA provider is not installed");
    expect((err as BackendRefusedError).fix).toBe(FIXES.onnxruntimeCuda);
  });

  it.runIf(!cudaHere)("'auto' passes it by with its reason and trains the compiled step on the CPU; the decision names both", async () => {
    const registry = createBackendRegistry([onnxruntimeCudaProvider, onnxruntimeProvider]);
    const r = await resolveBackend('auto', spec(), registry);
    try {
      expect(r.backend.name).toBe('onnxruntime');
      expect(r.backend.device).toMatch(/^CPU, \d+ threads?$/);
      expect(r.tried[0]).toEqual({ name: 'onnxruntime-cuda', reason: "ONNX Runtime's CUDA provider is not installed", fix: FIXES.onnxruntimeCuda });
      expect(backendDecisionSchema.parse(decisionOf(r)).tried.map((t) => t.name)).toEqual(['onnxruntime-cuda', 'tensorflow-gpu', 'onnxruntime-webgpu']);
    } finally {
      r.backend.dispose();
    }
  }, 30_000);
});

describe("ONNX Runtime's WebGPU provider", () => {
  it("reports either a device or ONNX Runtime's own reason in the studio's words, with the fix", async () => {
    const r = await onnxruntimeWebgpuProvider.probe();
    if (r.ok) expect(r.device).toMatch(/^WebGPU/);
    else {
      // on Linux without Vulkan's loader (this machine) the provider is not started at all; with the loader but no
      // adapter ONNX Runtime says so, its message after the studio's words
      expect(r.reason).toMatch(/^ONNX Runtime's WebGPU provider (needs Vulkan, and this machine has no Vulkan loader \(libvulkan\.so\.1\)$|did not start: \S)/);
      expect(r.fix).toBe(FIXES.onnxruntimeWebgpu);
    }
  });
});

describe('checkProvider', () => {
  it('starts the CPU provider on the one-node graph and names its threads', async () => {
    expect(await checkProvider('cpu', 1)).toEqual({ ok: true, device: 'CPU, 1 thread' });
  });
});

describe("with a GPU provider reported present ('auto' over an injected probe result)", () => {
  /** The CUDA backend as a machine with a GPU would report it: the probe says present, the step itself runs on the CPU provider here. */
  const presentCuda: BackendProvider = {
    name: 'onnxruntime-cuda',
    probe: async () => ({ ok: true, device: 'CUDA: NVIDIA H100 80GB HBM3 (ONNX Runtime CUDA provider)' }),
    async create(s) {
      const cpu = await createOnnxruntimeBackend(s, { threads: 1 });
      return { ...cpu, name: 'onnxruntime-cuda', device: 'CUDA: NVIDIA H100 80GB HBM3 (ONNX Runtime CUDA provider)' };
    },
  };

  it("'auto' picks it ahead of the CPU compiled step and the run's decision names it and its device", async () => {
    const r = await resolveBackend('auto', spec(), createBackendRegistry([onnxruntimeProvider, presentCuda]));
    try {
      expect(r.backend.name).toBe('onnxruntime-cuda');
      expect(r.tried).toEqual([]);
      const decision = backendDecisionSchema.parse(decisionOf(r));
      expect(decision).toEqual({ name: 'onnxruntime-cuda', device: 'CUDA: NVIDIA H100 80GB HBM3 (ONNX Runtime CUDA provider)', how: 'auto', tried: [] });
      // it trains: one step moves the parameters
      const before = (await r.backend.readState()).params;
      await r.backend.step({ n: 2, xt: Float32Array.of(0.1, 0.2, -0.3, 0.4), t: Float32Array.of(0.2, 0.7), target: Float32Array.of(1, 0, 0, 1), weight: Float32Array.of(1, 1) }, 1e-2);
      expect((await r.backend.readState()).params).not.toEqual(before);
    } finally {
      r.backend.dispose();
    }
  }, 30_000);
});
