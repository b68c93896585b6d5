// ONNX's own checker (python3-onnx, full_check) accepts every exported variant and rejects a broken graph.
import { describe, expect, it } from 'vitest';
import { toModelObject, writeOnnx } from '../../src-core/onnx';
import { ModelProtoType } from '../../src-core/onnx/schema';
import { MLP_CASES, buildCase } from './cases';
import { runOnnxChecker } from './ort-helpers';
import { PYTHON_ONNX, have } from '../prerequisites';

describe.runIf(have(PYTHON_ONNX))('onnx.checker.check_model(full_check=True)', () => {
  for (const c of MLP_CASES) {
    it(`accepts ${c.name}`, () => {
      const { model, params } = buildCase(c, 5);
      const r = runOnnxChecker(writeOnnx(model.graph, params, { metadata: { schedule: '{}' } }), c.name);
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
    });
  }
  it('rejects a graph whose node reads an undefined value', () => {
    const { model, params } = buildCase(MLP_CASES[0], 5);
    const obj = toModelObject(model.graph, params);
    obj.graph?.node?.[0].input?.splice(0, 1, 'missing');
    const r = runOnnxChecker(ModelProtoType.encode(ModelProtoType.fromObject(obj)).finish(), 'broken');
    expect(r.ok).toBe(false);
  });
});
