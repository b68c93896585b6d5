// One whole step: the compiled ONNX graph (onnxruntime-node) against tfjs autodiff on the cpu backend, same weights and batch.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsTrainer } from '../../src-core/training/tfjs';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { maxAbsDiff } from './reference';
import { STEP_CASES, caseModel, midRunState, randomBatch } from './step-fixtures';

// Both sides compute in float32 with different summation orders: gradients agree to ~1e-6 relative, which the
// mid-run Adam state turns into parameter differences near float32 rounding of the values (~1e-7 for |p| ~ 1).
describe('compiled step vs tfjs autodiff', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  STEP_CASES.forEach((c, k) => {
    it(c.name, async () => {
      const model = caseModel(c);
      const state = midRunState(model, 30 + k);
      const batch = randomBatch(model, c.n, 40 + k);
      const spec = { graph: model.graph, layout: model.layout, optimiser: c.optimiser, batchSize: c.n, state };
      const onnx = await createOnnxruntimeBackend(spec, { threads: 1 });
      const tfjs = new TfjsTrainer(spec, { name: 'cpu', device: 'tfjs cpu' });
      try {
        const a = await onnx.step(batch, c.lr);
        const b = await tfjs.step(batch, c.lr);
        const [sa, sb] = [await onnx.readState(), await tfjs.readState()];
        const err = {
          loss: Math.abs(a.loss - b.loss) / b.loss,
          gradNorm: Math.abs(a.gradNorm - b.gradNorm) / b.gradNorm,
          params: maxAbsDiff(sa.params, sb.params),
          m: maxAbsDiff(sa.m, sb.m),
          v: maxAbsDiff(sa.v, sb.v),
          ema: maxAbsDiff(sa.ema, sb.ema),
        };
        console.log(`tfjs parity, ${c.name}: ${Object.entries(err).map(([n, e]) => `${n} ${e.toExponential(2)}`).join(', ')}`);
        expect(sa.step).toBe(sb.step);
        expect(err.loss).toBeLessThan(1e-5);
        expect(err.gradNorm).toBeLessThan(1e-5);
        expect(Math.max(err.params, err.m, err.ema)).toBeLessThan(1e-6);
        expect(err.v).toBeLessThan(1e-7);
      } finally {
        onnx.dispose();
        tfjs.dispose();
      }
    });
  });
});
