// One and two training steps on cpu and wasm against central differences of the reference loss and Adam written out here.
import { describe, expect, it } from 'vitest';
import type { OptimiserSettings, TrainerState, TrainingBackend } from '../../src-core/training/backend';
import { cpuProvider } from '../../src-main/training/backends/cpu-backend';
import { wasmProvider } from '../../src-main/training/backends/wasm-backend';
import { OPT, freshState, randomBatch, referenceGradient, smallModel, specOf, trainableMask } from './tfjs-fixtures';

const model = smallModel();
const mask = trainableMask(model);
const PROVIDERS = { cpu: cpuProvider, wasm: wasmProvider };

/** Adam/AdamW as the contract defines it, in float64, from a reference gradient and the state before the step. */
function adamReference(s: TrainerState, grad: Float64Array, opt: OptimiserSettings, lr: number) {
  const k = s.step + 1;
  let norm = 0;
  for (const g of grad) norm += g * g;
  norm = Math.sqrt(norm);
  const coef = opt.gradClip === null ? 1 : Math.min(1, opt.gradClip / (norm + 1e-6));
  const P = s.params.length;
  const out = { norm, params: new Float64Array(P), m: new Float64Array(P), v: new Float64Array(P), ema: new Float64Array(P) };
  for (let i = 0; i < P; i++) {
    let g = grad[i] * coef;
    if (opt.kind === 'adam') g += opt.weightDecay * s.params[i] * mask[i];
    out.m[i] = opt.beta1 * s.m[i] + (1 - opt.beta1) * g;
    out.v[i] = opt.beta2 * s.v[i] + (1 - opt.beta2) * g * g;
    const mhat = out.m[i] / (1 - opt.beta1 ** k);
    const vhat = out.v[i] / (1 - opt.beta2 ** k);
    let p = s.params[i];
    if (opt.kind === 'adamw') p -= lr * opt.weightDecay * s.params[i] * mask[i];
    out.params[i] = p - (lr * mask[i] * mhat) / (Math.sqrt(vhat) + opt.eps);
    out.ema[i] = opt.emaDecay * s.ema[i] + (1 - opt.emaDecay) * out.params[i];
  }
  return out;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, abs: number, what: string): void {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / (abs + 1e-3 * Math.abs(want[i]));
    if (d > worst) [worst, at] = [d, i];
  }
  expect(worst, `${what}[${at}]: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(1);
}

// eps 1e-2 keeps Adam's update g / (|g| + eps) sensitive to the gradient's size, so a wrong gradient shows in the weights
const SETTINGS: Record<string, OptimiserSettings> = {
  'adam + L2, no clip': { ...OPT, eps: 1e-2, weightDecay: 0.05 },
  'adamw + binding clip': { ...OPT, kind: 'adamw', eps: 1e-2, weightDecay: 0.1, gradClip: 0.3, emaDecay: 0.8 },
};

describe.each(Object.entries(PROVIDERS))('a training step on %s', (_, provider) => {
  it.each(Object.keys(SETTINGS))('%s: two steps equal the reference', async (name) => {
    const opt = SETTINGS[name];
    const lr = 0.02;
    let state = freshState(model, 3);
    const backend = await provider.create(specOf(model, opt, state));
    try {
      for (let step = 0; step < 2; step++) {
        const b = randomBatch(model, 24, 100 + step);
        const grad = referenceGradient(model, state.params, b);
        const want = adamReference(state, grad, opt, lr);
        const r = await backend.step(b, lr);
        const got = await backend.readState();
        expect(got.step).toBe(step + 1);
        expect(Math.abs(r.gradNorm - want.norm)).toBeLessThan(1e-3 * want.norm);
        expectClose(got.m, want.m, 2e-5, 'm');
        expectClose(got.v, want.v, 1e-7, 'v');
        // Adam multiplies gradient errors by lr / eps = 2: central differences are good to about 2e-5
        expectClose(got.params, want.params, 1e-4, 'params');
        expectClose(got.ema, want.ema, 1e-4, 'ema');
        state = got;
      }
      // frozen Fourier features never move
      const fourier = model.layout.entries.find((e) => e.name === 'time.fourier');
      const init = freshState(model, 3).params;
      expect(fourier && Array.from(state.params.subarray(fourier.offset, fourier.offset + 2))).toEqual(fourier && Array.from(init.subarray(fourier.offset, fourier.offset + 2)));
    } finally {
      backend.dispose();
    }
  });
});

describe('cpu and wasm', () => {
  it('agree after five steps, and a state written on one continues on the other', async () => {
    const opt = { ...OPT, kind: 'adamw' as const, eps: 1e-4, weightDecay: 0.01, gradClip: 1 };
    const run = async (backend: TrainingBackend, from: number, to: number) => {
      for (let s = from; s < to; s++) await backend.step(randomBatch(model, 32, 500 + s), 1e-2);
      return backend.readState();
    };
    const cpu = await cpuProvider.create(specOf(model, opt, freshState(model, 5)));
    const wasm = await wasmProvider.create(specOf(model, opt, freshState(model, 5)));
    try {
      const a = await run(cpu, 0, 5);
      const b = await run(wasm, 0, 5);
      for (const key of ['params', 'm', 'v', 'ema'] as const) expectClose(a[key], b[key], 1e-6, key);
      await wasm.writeState(a);
      const c = await run(wasm, 5, 7);
      const d = await run(cpu, 5, 7);
      expect(c.step).toBe(7);
      expectClose(c.params, d.params, 1e-6, 'params after moving');
      const x = new Float32Array([0.1, -0.2, 0.3, 0.4]);
      const t = new Float32Array([0.2, 0.9]);
      const y = BigInt64Array.from([0n, 3n]);
      expectClose(await wasm.predict(x, t, y, 2, 'ema'), await cpu.predict(x, t, y, 2, 'ema'), 1e-5, 'ema prediction');
      expect(await wasm.predict(x, t, y, 2, 'live')).not.toEqual(await wasm.predict(x, t, y, 2, 'ema'));
    } finally {
      cpu.dispose();
      wasm.dispose();
    }
  });
});

describe('bad calls', () => {
  it('refuses wrong lengths, missing or out-of-range labels, and use after dispose', async () => {
    const backend = await cpuProvider.create(specOf(model, OPT, freshState(model, 1)));
    const b = randomBatch(model, 4, 1);
    await expect(backend.step({ ...b, target: new Float32Array(3) }, 1e-3)).rejects.toThrow(/target has 3 values, expected 8/);
    await expect(backend.step({ ...b, y: undefined }, 1e-3)).rejects.toThrow(/labels y are required/);
    await expect(backend.step({ ...b, y: BigInt64Array.from([0n, 1n, 4n, 0n]) }, 1e-3)).rejects.toThrow(/y\[2\] = 4 is out of range \[0, 3\]/);
    await expect(backend.writeState({ ...freshState(model, 1), m: new Float32Array(2) })).rejects.toThrow(/state.m has 2 values/);
    expect((await backend.readState()).step).toBe(0);
    backend.dispose();
    await expect(backend.step(b, 1e-3)).rejects.toThrow(/disposed/);
  });
});
