// One compiled U-Net training step (onnxruntime-node) against the tfjs trainer on the same weights and batch; ONNX's checker on it and on the export.
import { describe, expect, it } from 'vitest';
import { writeOnnx } from '../../src-core/onnx';
import type { OptimiserSettings } from '../../src-core/training/backend';
import { compileParametricForward, compileTrainingStep } from '../../src-core/training-graph';
import { TfjsTrainer } from '../../src-core/training/tfjs';
import { activateCpu } from '../../src-main/training/backends/cpu-backend';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { activateWasm } from '../../src-main/training/backends/wasm-backend';
import { runOnnxChecker } from '../onnx/ort-helpers';
import { PYTHON_ONNX, have } from '../prerequisites';
import { maxAbsDiff } from '../training-graph/reference';
import { UNET_CASES, unetBatch, unetCase, unetState } from './fixtures';

const ADAM: OptimiserSettings = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, gradClip: null, emaDecay: 0.99 };
// Both sides compute in float32 with different summation orders and forms (ORT's im2col GEMMs and per-offset weight
// gradients against tfjs's NHWC kernels; a closed-form group-norm gradient against tfjs's autodiff through moments):
// gradients agree to ~1e-6 relative, which the mid-run Adam state turns into parameter
// differences near float32 rounding of the values; the bounds are those of the MLP's step test.
const OPTIMISERS: readonly OptimiserSettings[] = [ADAM, { ...ADAM, kind: 'adamw', weightDecay: 0.05, gradClip: 0.5 }];

// The plain case runs tfjs on its cpu kernels, the other on wasm, which has no conv filter-gradient kernel of its own.
// XNNPACK's exp and sigmoid are polynomial approximations a few float32 ulps off, so on wasm the loss already differs
// by ~3e-7 and the gradient norm (a sum over every entry, where a consistent lean adds up) by ~1e-5 (measured 8e-6);
// each entry still agrees as closely as on cpu, which the parameter and moment bounds check.
const ENGINES = [
  { name: 'cpu', activate: activateCpu, gradNorm: 1e-5 },
  { name: 'wasm', activate: activateWasm, gradNorm: 3e-5 },
] as const;

describe('compiled U-Net step vs the tfjs trainer', () => {
  UNET_CASES.forEach((c, k) => {
    it(`${c.name}, tfjs ${ENGINES[k].name}`, async () => {
      const engine = ENGINES[k];
      await engine.activate();
      const { model } = unetCase(c.options, 0);
      const optimiser = OPTIMISERS[k];
      const spec = { graph: model.graph, layout: model.layout, optimiser, batchSize: 4, state: unetState(model, 20 + k) };
      const batch = unetBatch(model, 4, 30 + k);
      const onnx = await createOnnxruntimeBackend(spec, { threads: 1, provider: 'cpu' });
      const tfjs = new TfjsTrainer(spec, { name: engine.name, device: `tfjs ${engine.name}` });
      try {
        const a = await onnx.step(batch, 1e-3);
        const b = await tfjs.step(batch, 1e-3);
        const [sa, sb] = [await onnx.readState(), await tfjs.readState()];
        const err = {
          loss: Math.abs(a.loss - b.loss) / b.loss,
          gradNorm: Math.abs(a.gradNorm - b.gradNorm) / b.gradNorm,
          params: maxAbsDiff(sa.params, sb.params),
          m: maxAbsDiff(sa.m, sb.m),
          v: maxAbsDiff(sa.v, sb.v),
          ema: maxAbsDiff(sa.ema, sb.ema),
        };
        console.log(`U-Net step parity, ${c.name} (${optimiser.kind}, tfjs ${engine.name}): ${Object.entries(err).map(([n, e]) => `${n} ${e.toExponential(2)}`).join(', ')}`);
        expect(sa.step).toBe(sb.step);
        expect(err.loss).toBeLessThan(1e-5);
        expect(err.gradNorm).toBeLessThan(engine.gradNorm);
        expect(Math.max(err.params, err.m, err.ema)).toBeLessThan(1e-6);
        expect(err.v).toBeLessThan(1e-7);
        // the step moved the weights (Adam moves each by about lr |m| / sqrt(v) ~ 1e-4 here), so agreeing is not trivial
        expect(maxAbsDiff(sa.params, spec.state.params)).toBeGreaterThan(2e-5);
      } finally {
        onnx.dispose();
        tfjs.dispose();
      }
    });
  });
});

describe.runIf(have(PYTHON_ONNX))('onnx.checker on the compiled U-Net graphs', () => {
  UNET_CASES.forEach((c, k) => {
    it(`accepts the exported model, the training step and the parametric forward of: ${c.name}`, () => {
      const { model, params } = unetCase(c.options, 0);
      const exported = runOnnxChecker(writeOnnx(model.graph, params), `unet-export-${k}`);
      expect(exported.stderr).toBe('');
      expect(exported.ok).toBe(true);
      const step = compileTrainingStep(model.graph, model.layout, { optimiser: OPTIMISERS[k], hasLabels: model.nullClass !== undefined });
      const r = runOnnxChecker(writeOnnx(step, new Float32Array(0)), `unet-step-${k}`);
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
      const f = runOnnxChecker(writeOnnx(compileParametricForward(model.graph), new Float32Array(0)), `unet-parametric-${k}`);
      expect(f.stderr).toBe('');
      expect(f.ok).toBe(true);
    });
  });
});
