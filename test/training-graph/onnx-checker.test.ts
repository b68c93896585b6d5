// ONNX's own checker (full_check) accepts the compiled training steps (one and three per graph) and the parametric forward graphs.
import { describe, expect, it } from 'vitest';
import { writeOnnx } from '../../src-core/onnx';
import { compileParametricForward, compileTrainingStep } from '../../src-core/training-graph';
import { runOnnxChecker } from '../onnx/ort-helpers';
import { PYTHON_ONNX, have } from '../prerequisites';
import { STEP_CASES, caseModel } from './step-fixtures';

describe.runIf(have(PYTHON_ONNX))('onnx.checker on compiled graphs', () => {
  STEP_CASES.forEach((c, k) => {
    it(`accepts the training step and parametric forward of: ${c.name}`, () => {
      const model = caseModel(c);
      const step = compileTrainingStep(model.graph, model.layout, { optimiser: c.optimiser, hasLabels: model.nullClass !== undefined });
      const r = runOnnxChecker(writeOnnx(step, new Float32Array(0)), `train-step-${k}`);
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
      // three steps unrolled into one graph: every step's names distinct, constants shared
      const steps = compileTrainingStep(model.graph, model.layout, { optimiser: c.optimiser, hasLabels: model.nullClass !== undefined, steps: 3 });
      const s3 = runOnnxChecker(writeOnnx(steps, new Float32Array(0)), `train-steps-${k}`);
      expect(s3.stderr).toBe('');
      expect(s3.ok).toBe(true);
      const f = runOnnxChecker(writeOnnx(compileParametricForward(model.graph), new Float32Array(0)), `parametric-${k}`);
      expect(f.stderr).toBe('');
      expect(f.ok).toBe(true);
    });
  });
});
