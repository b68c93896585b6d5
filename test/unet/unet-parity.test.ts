// Parity of the U-Net's three uses: ONNX Runtime on the exported graph and the tfjs forward equal the reference evaluator.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGraph } from '../../src-core/graph';
import { writeOnnx } from '../../src-core/onnx';
import { graphToTfjs, paramViews } from '../../src-core/training/tfjs';
import { runOrt } from '../onnx/ort-helpers';
import { UNET_CASES, relativeError, unetCase, unetInputs } from './fixtures';

// All three compute in float32 with different summation orders over at most a few hundred terms per output
// (3x3 convs over 48 channels, attention over 16 positions); errors stay near 1e-7 relative, so 1e-5 leaves room.
describe('U-Net: ONNX Runtime and tfjs equal the reference evaluator', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  UNET_CASES.forEach((c, k) => {
    it(c.name, async () => {
      const { model, params } = unetCase(c.options, 10 + k);
      const bytes = writeOnnx(model.graph, params);
      const compiled = graphToTfjs(model.graph);
      const report: string[] = [];
      try {
        for (const n of [1, 3]) {
          const feeds = unetInputs(model, n, 100 * k + n);
          const want = evaluateGraph(model.graph, params, feeds).prediction.data as Float32Array;
          const ort = (await runOrt(bytes, feeds)).prediction;
          const got = tf.tidy(() => {
            const inputs: Record<string, tf.Tensor> = { x: tf.tensor(feeds.x.data as Float32Array, [...feeds.x.shape]), t: tf.tensor(feeds.t.data as Float32Array, [n]) };
            if (feeds.y) inputs.y = tf.tensor(Int32Array.from(feeds.y.data as BigInt64Array, Number), [n], 'int32');
            return compiled.run(paramViews(model.graph, tf.tensor1d(params)), inputs);
          });
          const tfjs = (await got.data()) as Float32Array;
          got.dispose();
          const [eo, et] = [relativeError(ort, want), relativeError(tfjs, want)];
          report.push(`N=${n}: ORT ${eo.toExponential(2)}, tfjs ${et.toExponential(2)}`);
          expect(ort).toHaveLength(want.length);
          expect(eo).toBeLessThan(1e-5);
          expect(et).toBeLessThan(1e-5);
        }
      } finally {
        compiled.dispose();
      }
      console.log(`U-Net parity, ${c.name}: ${report.join('; ')}`);
    });
  });
});
