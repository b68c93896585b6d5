// The training.backends contract: what its reply schema accepts and refuses, and that a bad reply or bad parameters come back as typed errors.
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../src-core/api/dispatcher';
import { backendsReportSchema, type BackendsReport } from '../../src-core/api/methods/training';

const GOOD: BackendsReport = {
  backends: [
    { name: 'onnxruntime-cuda', available: false, reason: "ONNX Runtime's CUDA provider is not installed", fix: 'npm run setup:cuda' },
    { name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is not installed', fix: 'npm install @tensorflow/tfjs-node-gpu' },
    { name: 'onnxruntime-webgpu', available: false, reason: "ONNX Runtime's WebGPU provider did not start: No supported adapters", fix: null },
    { name: 'onnxruntime', available: true, device: 'CPU, 2 threads' },
    { name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed', fix: null },
    { name: 'wasm', available: true, device: 'WebAssembly (SIMD, 1 thread)' },
    { name: 'cpu', available: true, device: 'CPU (tfjs JavaScript kernels, 1 thread)' },
  ],
  auto: 'onnxruntime',
  sampling: { available: true, device: 'CPU, 2 threads', notes: [] },
  probedAt: '2026-01-01T00:00:00.000Z',
};

function problems(value: unknown): string[] {
  const r = backendsReportSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the training.backends reply schema', () => {
  it('accepts a full report', () => {
    expect(problems(GOOD)).toEqual([]);
    expect(problems({ ...GOOD, auto: null, backends: GOOD.backends.map((b) => ({ name: b.name, available: false, reason: 'absent', fix: null })), sampling: { available: false, reason: 'no ONNX Runtime', fix: 'npm install onnxruntime-node', notes: [] } })).toEqual([]);
  });

  it('refuses a backend missing, repeated or out of order', () => {
    expect(problems({ ...GOOD, backends: GOOD.backends.slice(1) })[0]).toMatch(/^backends: must list every backend once, in the order onnxruntime-cuda, tensorflow-gpu, onnxruntime-webgpu, onnxruntime/);
    expect(problems({ ...GOOD, backends: [GOOD.backends[1], GOOD.backends[0], ...GOOD.backends.slice(2)] })[0]).toMatch(/^backends: /);
    expect(problems({ ...GOOD, backends: [...GOOD.backends, GOOD.backends[6]] })[0]).toMatch(/^backends: /);
  });

  it("refuses an available backend without its device, an unavailable one without its reason, and an unknown name", () => {
    const b = [...GOOD.backends];
    expect(problems({ ...GOOD, backends: [...b.slice(0, 3), { name: 'onnxruntime', available: true }, ...b.slice(4)] })[0]).toMatch(/^backends\.3\.device/);
    expect(problems({ ...GOOD, backends: [{ name: 'onnxruntime-cuda', available: false, reason: '', fix: null }, ...b.slice(1)] })[0]).toMatch(/^backends\.0\.reason/);
    expect(problems({ ...GOOD, backends: [{ name: 'metal', available: false, reason: 'x', fix: null }, ...b.slice(1)] })[0]).toMatch(/^backends\.0\.name/);
  });

  it("refuses an 'auto' that is not the first available backend", () => {
    expect(problems({ ...GOOD, auto: 'wasm' })).toEqual(['auto: must be the first available backend (onnxruntime)']);
    expect(problems({ ...GOOD, auto: null })).toEqual(['auto: must be the first available backend (onnxruntime)']);
  });

  it('refuses a sampling entry without device or reason', () => {
    expect(problems({ ...GOOD, sampling: { available: true, notes: [] } })[0]).toMatch(/^sampling\.device/);
    expect(problems({ ...GOOD, sampling: { available: false, notes: [] } })[0]).toMatch(/^sampling\.reason/);
  });
});

describe('training.backends through the dispatcher', () => {
  const dispatcherAnswering = (report: unknown) => createDispatcher({ 'training.backends': () => report } as unknown as Handlers);

  it('passes a good report, refuses parameters, and turns a malformed report into an internal error naming the field', async () => {
    expect(await dispatcherAnswering(GOOD)('training.backends', {})).toEqual({ ok: true, result: GOOD });
    const extra = await dispatcherAnswering(GOOD)('training.backends', { refresh: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-message', message: expect.stringMatching(/^training\.backends: /) } });
    const bad = await dispatcherAnswering({ ...GOOD, auto: 'cpu' })('training.backends', {});
    expect(bad).toEqual({ ok: false, error: { code: 'internal', message: 'training.backends produced an invalid reply: auto: must be the first available backend (onnxruntime)' } });
  });
});
