// graphToTfjs against the reference evaluator, for each MLP variant on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { evaluateGraph, initParams } from '../../src-core/graph';
import { Rng } from '../../src-core/rng';
import { graphToTfjs, paramViews } from '../../src-core/training/tfjs';
import { activateCpu } from '../../src-main/training/backends/cpu-backend';
import { activateWasm } from '../../src-main/training/backends/wasm-backend';
import { VARIANTS, randomBatch, referenceInputs, relativeError } from './tfjs-fixtures';

const ENGINES = { cpu: activateCpu, wasm: activateWasm };

describe.each(Object.entries(ENGINES))('graphToTfjs on %s', (_, activate) => {
  it.each(Object.keys(VARIANTS))('%s matches evaluateGraph within 1e-5 relative', async (variant) => {
    await activate();
    const model = VARIANTS[variant]();
    const params = initParams(model.layout, new Rng(7));
    const n = 33;
    const b = randomBatch(model, n, 11);
    const want = evaluateGraph(model.graph, params, referenceInputs(b.xt, b.t, b.y, n)).prediction.data as Float32Array;
    const g = graphToTfjs(model.graph);
    const got = tf.tidy(() => {
      const inputs: Record<string, tf.Tensor> = { x: tf.tensor2d(b.xt, [n, 2]), t: tf.tensor1d(b.t) };
      if (b.y) inputs.y = tf.tensor1d(Int32Array.from(b.y, Number), 'int32');
      return g.run(paramViews(model.graph, tf.tensor1d(params)), inputs).dataSync().slice();
    });
    g.dispose();
    expect(got.length).toBe(want.length);
    expect(relativeError(got, want)).toBeLessThan(1e-5);
  });
});
