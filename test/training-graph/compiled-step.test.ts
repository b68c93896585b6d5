// One compiled step run by onnxruntime-node equals an independent float64 reference: gradients, clipping, Adam/AdamW, EMA, loss, norm.
import { describe, expect, it } from 'vitest';
import { createOnnxruntimeBackend } from '../../src-main/training/backends/onnxruntime-backend';
import { centralGradient, evaluatorLoss, maxAbsDiff, plainMlpGradient, referenceStep } from './reference';
import { STEP_CASES, caseModel, midRunState, randomBatch } from './step-fixtures';

// Tolerances. Gradients by central differences (h = 4e-3, float32 evaluator, float64 loss) carry up to ~2e-5
// absolute error (round-off ~1e-7 |L| / h, truncation h^2 |L'''| / 6); the reference MLP's backward is exact float64.
// ONNX Runtime computes in float32 (relative ~1e-6 after three 256-wide layers). Hence: loss 1e-5 relative;
// norm 2e-4 relative; m' = b1 m + 0.1 g inherits 0.1 x 1e-4 at most; v' = b2 v + 1e-3 g^2 inherits ~1e-7; params' and
// ema' move by lr x (a factor near 1 at this state) and agree to float32 rounding of values ~1 (1e-6).
describe('compiled training step vs an independent reference', () => {
  it('the hand-written float64 backward of the reference MLP agrees with central differences', () => {
    const c = STEP_CASES[0];
    const model = caseModel(c);
    const state = midRunState(model, 1);
    const batch = randomBatch(model, c.n, 2);
    const exact = plainMlpGradient(model, state.params, batch);
    const coords = Array.from({ length: 24 }, (_, k) => Math.floor((k * model.layout.size) / 24) + 3);
    const fd = centralGradient(model, state.params, batch, 4e-3, coords);
    const err = Math.max(...coords.map((i) => Math.abs(fd[i] - exact[i])));
    console.log(`reference MLP: hand-written backward vs central differences, max |diff| ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
  });

  STEP_CASES.forEach((c, k) => {
    it(c.name, async () => {
      const model = caseModel(c);
      const state = midRunState(model, 10 + k);
      const batch = randomBatch(model, c.n, 20 + k);
      // the reference MLP is too large for central differences on every coordinate: its exact float64 backward is used
      const grad = k === 0 ? plainMlpGradient(model, state.params, batch) : centralGradient(model, state.params, batch, 4e-3);
      const want = referenceStep(c.optimiser, model.layout, state, grad, c.lr);
      const wantLoss = evaluatorLoss(model, state.params, batch);
      const backend = await createOnnxruntimeBackend({ graph: model.graph, layout: model.layout, optimiser: c.optimiser, batchSize: c.n, state }, { threads: 1 });
      try {
        const r = await backend.step(batch, c.lr);
        const got = await backend.readState();
        const err = {
          loss: Math.abs(r.loss - wantLoss) / wantLoss,
          gradNorm: Math.abs(r.gradNorm - want.gradNorm) / want.gradNorm,
          params: maxAbsDiff(got.params, want.params),
          m: maxAbsDiff(got.m, want.m),
          v: maxAbsDiff(got.v, want.v),
          ema: maxAbsDiff(got.ema, want.ema),
        };
        console.log(`${c.name}: ${Object.entries(err).map(([n, e]) => `${n} ${e.toExponential(2)}`).join(', ')}`);
        expect(got.step).toBe(state.step + 1);
        if (c.clipActive) expect(r.gradNorm).toBeGreaterThan(2 * (c.optimiser.gradClip ?? Infinity));
        expect(err.loss).toBeLessThan(1e-5);
        expect(err.gradNorm).toBeLessThan(2e-4);
        expect(err.m).toBeLessThan(1e-5);
        expect(err.v).toBeLessThan(1e-7);
        expect(err.params).toBeLessThan(1e-6);
        expect(err.ema).toBeLessThan(1e-6);
        for (const e of model.layout.entries.filter((x) => !x.trainable)) {
          expect(got.params.subarray(e.offset, e.offset + e.shape.reduce((a, b) => a * b, 1))).toEqual(state.params.subarray(e.offset, e.offset + e.shape.reduce((a, b) => a * b, 1)));
        }
      } finally {
        backend.dispose();
      }
    });
  });
});
