// Parity: onnxruntime-node on the exported MLP equals the reference evaluator within 1e-5 relative, at batch 1, 7 and 256.
import { describe, expect, it } from 'vitest';
import { evaluateGraph } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { MLP_CASES, buildCase, randomInputs } from './cases';
import { runOrt } from './ort-helpers';

/** Largest |a - b| over the largest |b|: error relative to the output's scale. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / Math.max(scale, 1e-30);
}

describe('ONNX Runtime matches the reference evaluator', () => {
  MLP_CASES.forEach((c, k) => {
    it(`${c.name}`, async () => {
      const { model, params } = buildCase(c, 100 + k);
      const bytes = writeOnnx(model.graph, params, { metadata: { parameterisation: 'velocity' } });
      const report: string[] = [];
      for (const n of [1, 7, 256]) {
        const feeds = randomInputs(model, n, 1000 * k + n);
        const want = evaluateGraph(model.graph, params, feeds).prediction.data as Float32Array;
        const got = (await runOrt(bytes, feeds)).prediction;
        expect(got.length).toBe(n * c.options.dataDim);
        const rel = relativeError(got, want);
        report.push(`N=${n}: ${rel.toExponential(2)}`);
        expect(rel).toBeLessThan(1e-5);
      }
      console.log(`${c.name} max relative error ${report.join(', ')}`);
    });
  });
});
